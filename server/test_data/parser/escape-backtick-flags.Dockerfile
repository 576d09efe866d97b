# escape=`
FROM alpine
# extractBuilderFlags always escapes with a backslash, whatever the escape directive says
COPY --chown=a` b src dst
COPY --chown=a\ b src dst
COPY --chown="a` b" src `
    dst
