from alpine as Base
run echo crlf \
  continued
	Env	TAB=1
workdir /app