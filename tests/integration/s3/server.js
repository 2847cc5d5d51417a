// Starts s3rver on 127.0.0.1 (port 0 = any free one) with one bucket and prints
// "LISTENING <port>" once it accepts connections; stops on SIGTERM or when stdin closes.
'use strict';
const S3rver = require('s3rver');

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: !process.env.S3RVER_VERBOSE,
  configureBuckets: [{ name: bucket }],
});
server.run().then(
  (addr) => console.log(`LISTENING ${addr.port}`),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
