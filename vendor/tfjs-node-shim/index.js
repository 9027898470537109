// danfojs-node requires "@tensorflow/tfjs-node"; the native package downloads libtensorflow at
// install time, which our machines cannot reach. danfo uses tensors (tf.tensor, tf.moments…) and
// tf.data (DataFrame.sample): re-export tfjs-core with its CPU backend registered, and tfjs-data,
// the same single copy of tfjs the course uses (not the umbrella @tensorflow/tfjs, whose layers,
// converter and WebGL backend the course never loads).
require("@tensorflow/tfjs-backend-cpu");
module.exports = { ...require("@tensorflow/tfjs-core"), data: require("@tensorflow/tfjs-data") };
