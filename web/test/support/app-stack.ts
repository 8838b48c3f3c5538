import { createLogger } from '@commerce/service-kit';
import { startSimulator, type Simulator } from '@commerce/simulator';
import { signUp, testPassword, type Actor } from '../../../test/support/graph';
import { startTestStack, type TestStack } from '../../../test/support/stack';
import { ensureWebBuild, startWebServer, type WebServer } from '../../../scripts/web-server';

export interface AppStack {
  stack: TestStack;
  web: WebServer;
  /** The courier the simulator delivers as. */
  courier: Actor;
  /** Stops the simulated courier, for tests that deliver by hand. */
  stopSimulator(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole supergraph against real Postgres, RabbitMQ and Redis, the built
 * web app served beside it on a free port, and the simulator at a fast pace.
 * The simulator's shop side signs in as an owner of no shop, so it moves no
 * order of the tests' shops: the shop owner in the browser does that, and the
 * simulated courier takes every order from there on to DELIVERED.
 */
export async function startAppStack(env: NodeJS.ProcessEnv = {}): Promise<AppStack> {
  await ensureWebBuild();
  const stack = await startTestStack(env);
  let simulator: Simulator | undefined;
  let web: WebServer | undefined;
  try {
    const [idleOwner, courier] = await Promise.all([signUp(stack.gatewayUrl, 'SHOP_OWNER'), signUp(stack.gatewayUrl, 'COURIER')]);
    simulator = await startSimulator({
      bus: stack.bus,
      gatewayUrl: stack.gatewayUrl,
      shop: { email: idleOwner.email, password: testPassword },
      courier: { email: courier.email, password: testPassword },
      stepDelayMs: 300,
      positionsPerTrip: 3,
      logger: createLogger('simulator', 'silent'),
    });
    web = await startWebServer({ port: 0, host: '127.0.0.1', graphqlUrl: stack.gatewayUrl });
    const started = { web, simulator };
    return {
      stack,
      web,
      courier,
      stopSimulator: () => started.simulator.stop(),
      async stop() {
        await started.web.close();
        await started.simulator.stop();
        await stack.stop();
      },
    };
  } catch (error) {
    await web?.close();
    await simulator?.stop();
    await stack.stop();
    throw error;
  }
}
