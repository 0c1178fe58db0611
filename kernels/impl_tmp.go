package kernels

type tier struct{ name string }

var impl = tier{name: "portable"}
