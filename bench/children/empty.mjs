// An empty ES module: the cold-start baseline of Node with its ES module loader (bench/cold-start.mjs).
