// The in-memory FakeNetwork that every resolver scenario runs on passes the
// same Transport contract as the real UDP/TCP NetTransport (STYLE.md habit 7),
// so a scenario cannot pass on behaviour the real network does not have.

import { ManualClock } from '../../src/util/clock.js';
import { describeTransportContract, type MakeTransportAndServer } from '../upstream/transport-contract.js';
import { FakeNetwork } from './fake-network.js';

function fakeNetworkHarness(address: string): MakeTransportAndServer {
  return async (script) => {
    const clock = new ManualClock();
    const network = new FakeNetwork(clock);
    const server = network.addScriptedServer(address, script);
    return {
      transport: network,
      server: server.address,
      received: server.received,
      // The fake times out on virtual time: the contract measures it there.
      now: () => clock.now(),
      // The host is up (it serves port 53), so another port refuses.
      closedPort: async () => ({ address, port: 5353 }),
      close: async () => {},
    };
  };
}

describeTransportContract('FakeNetwork, IPv4', fakeNetworkHarness('192.0.2.53'));
describeTransportContract('FakeNetwork, IPv6', fakeNetworkHarness('2001:db8::53'));
