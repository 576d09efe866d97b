FROM alpine AS base
FRO
COPY --from=
FROM alpine AS
RUN --mount=type=
FOO bar baz
ONBUILD
ONBUILD COPY --from=base /a /b
HEALTHCHECK
HEALTHCHECK --interval=5s CMD curl -f http://localhost/
HEALTHCHECK NONE
EXPOSE 80/tcp 443
USER
RUN
