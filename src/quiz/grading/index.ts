/** Grading untrusted notebooks: sandbox, answer collection, checks apart, reports. */
export { assignmentOf, parseSubmission, scanSubmission, type AssignedQuestion, type Assignment, type Submission } from "./assignment";
export { gradeBatch, gradeRows, SandboxUnavailableError, validateOutDir, type BatchEntry, type BatchOptions, type BatchReport } from "./batch";
export { gradeSubmissionText, type QuestionGrade, type SubmissionGrade } from "./grade";
export { releasedQuizSource, RELEASED_SOLUTION, STUDENT_RELEASE_ENTRIES, writeReleasedQuizzes, writeStudentRelease } from "./release";
export { DEFAULT_LIMITS, sandboxArgv, sandboxProblem, type SandboxLimits } from "./sandbox";
export { writeFileAtomic } from "./safeWrite";
