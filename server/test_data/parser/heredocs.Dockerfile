FROM alpine
RUN <<EOF
echo one
echo two
EOF
RUN <<-"EOT" sh
	echo tabbed
	EOT
COPY <<robots.txt <<humans.txt /usr/share/
robots
robots.txt
humans
humans.txt
RUN 3<<FD cat <&3
fd body
FD
RUN <<NEVER
not terminated
