import { createServer } from 'node:net';
import { freePorts } from '../../scripts/lib/proc';
import { devServerPorts } from '../../scripts/lib/temporal-cli';

/**
 * The ports the servers the tests and `npm start` bring up are given: asked for one at a time, the OS could hand the
 * same port out twice (a dev server got its frontend and its UI on one port, and CI failed to start it).
 */
it('gives ports that are all different, none of those taken, and each free to listen on', async () => {
  const taken = await freePorts(3);
  const ports = await freePorts(8, taken);
  expect(ports).toHaveLength(8);
  expect(new Set(ports).size).toBe(8);
  expect(ports.filter((p) => taken.includes(p))).toEqual([]);
  for (const port of ports) {
    const srv = createServer();
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        resolve();
      });
    });
    await new Promise<void>((resolve) => {
      srv.close(() => {
        resolve();
      });
    });
  }
});

it('gives a dev server a UI port other than its frontend’s, asked for or not', async () => {
  for (let i = 0; i < 20; i++) {
    const free = await devServerPorts();
    expect(free.uiPort).not.toBe(free.port);
    const asked = await devServerPorts({ port: free.port });
    expect(asked.port).toBe(free.port);
    expect(asked.uiPort).not.toBe(free.port);
  }
  expect(await devServerPorts({ port: 7233, uiPort: 8233 })).toEqual({ port: 7233, uiPort: 8233 });
});
