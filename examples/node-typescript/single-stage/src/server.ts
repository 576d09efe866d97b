import { createServer } from "node:http";

const port = Number(process.env.PORT ?? 3000);

const server = createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (url.pathname === "/health") {
    response.writeHead(204).end();
    return;
  }
  const name = url.searchParams.get("name") ?? "world";
  response
    .writeHead(200, { "content-type": "application/json" })
    .end(JSON.stringify({ greeting: `Hello, ${name}!` }));
});

server.listen(port, () => {
  console.log(`listening on :${port}`);
});

process.on("SIGTERM", () => server.close(() => process.exit(0)));
