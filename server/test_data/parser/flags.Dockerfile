FROM --platform=$BUILDPLATFORM golang:1.22 AS build
COPY --from= . /src
COPY --link --chmod=755 --from=build /out /bin/
RUN --mount=type=cache,target=/root/.cache --network=none go build
COPY --chown="app:app" -- --weird /dst
ADD --checksum=sha256:abc https://x/y.tgz /tmp/
