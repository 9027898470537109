// danfojs-node requires "@tensorflow/tfjs-node"; the native package downloads libtensorflow at
// install time, which our machines cannot reach. Re-export the pure-JS tfjs instead (one copy).
module.exports = require("@tensorflow/tfjs");
