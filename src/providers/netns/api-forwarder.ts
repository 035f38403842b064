// The lab's API inside the lab, where the seeds' kubectl runs: the daemon
// serves it on loopback in the machine's own network namespace, which no lab
// namespace can reach; this process, started in the control plane's
// namespace, listens on its eth1 address at 6443 (the apiserver's address in
// the seed's cluster, and the `kubernetes` Service's endpoint behind
// 10.96.0.1:443) and forwards each connection to the daemon's unix socket.
// Only bytes pass: TLS and the token are the API's. Nothing is added to the
// machine's own namespace.
import { connect, createServer, type Socket } from 'node:net';

/** Concurrent connections: a kubectl watch holds one; far more is a flood, not a learner. */
const MAX_CONNECTIONS = 64;

export function forward(host: string, port: number, socketPath: string): Promise<void> {
  let open = 0;
  const server = createServer((client: Socket) => {
    if (open >= MAX_CONNECTIONS) return void client.destroy();
    open++;
    const upstream = connect(socketPath);
    const done = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', () => {
      open--;
      upstream.destroy();
    });
    client.on('error', done);
    upstream.on('error', done);
    upstream.once('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

const [host, port, socketPath] = process.argv.slice(2);
if (host && port && socketPath) {
  forward(host, Number(port), socketPath).then(
    () => process.stdout.write('listening\n'),
    (err: Error) => {
      process.stderr.write(`api-forwarder: ${err.message}\n`);
      process.exit(1);
    },
  );
}
