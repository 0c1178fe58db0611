# The image a Kubernetes fleet runs (ppbench fleet -engine kubernetes
# -image ...): nothing but the static binary, so the benchmark shares its
# node with no other process of the image. Build the binaries first, then
# one image for both architectures:
#
#   make dist
#   docker buildx build --platform linux/amd64,linux/arm64 -t REGISTRY/ppbench:TAG --push .
#
# (or one image per architecture, -t REGISTRY/ppbench:TAG-amd64 and
# -arm64, and -image REGISTRY/ppbench:TAG-{arch}).
FROM scratch
ARG TARGETARCH
COPY dist/ppbench-linux-${TARGETARCH} /ppbench
# A Job's results go to stdout; this is only where anything else would go.
WORKDIR /work
ENTRYPOINT ["/ppbench"]
