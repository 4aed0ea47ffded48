import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { Metadata, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import type {
  HealthCheckRequest,
  HealthCheckResponse,
  ServingStatus,
} from '../../src/checks/grpc/health-proto.ts';
import {
  HEALTH_CHECK_PATH,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
} from '../../src/checks/grpc/health-proto.ts';
import type { PemPair } from './certs.ts';

// A grpc-js server implementing grpc.health.v1.Health/Check on 127.0.0.1 port 0, plaintext or
// TLS, answering from a service → status map ("" is the whole server) and NOT_FOUND for any
// other service, as the reference implementation does. `close()` force-shuts it down.

/** A running health server. */
export interface TestGrpcServer {
  port: number;
  /** `127.0.0.1:PORT` (plaintext) or `localhost:PORT` (TLS, the certificate's name). */
  target: string;
  /** Sets what the server answers for a service. */
  setStatus(service: string, serving: ServingStatus): void;
  /** The metadata of the last call, for header tests. */
  lastMetadata(): Metadata | undefined;
  close(): Promise<void>;
}

const healthService: ServiceDefinition = {
  Check: {
    path: HEALTH_CHECK_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: encodeRequest,
    requestDeserialize: decodeRequest,
    responseSerialize: encodeResponse,
    responseDeserialize: decodeResponse,
    originalName: 'check',
  },
};

export async function startGrpcHealthServer(
  options: { tls?: PemPair; statuses?: Record<string, ServingStatus> } = {},
): Promise<TestGrpcServer> {
  const statuses = new Map<string, ServingStatus>(
    Object.entries(options.statuses ?? { '': 'SERVING' }),
  );
  let metadata: Metadata | undefined;
  const server = new Server();
  const implementation: UntypedServiceImplementation = {
    Check: (
      call: { request: HealthCheckRequest; metadata: Metadata },
      callback: (
        error: { code: number; details: string } | null,
        reply?: HealthCheckResponse,
      ) => void,
    ) => {
      metadata = call.metadata;
      const serving = statuses.get(call.request.service);
      if (serving === undefined) callback({ code: status.NOT_FOUND, details: 'unknown service' });
      else callback(null, { status: serving });
    },
  };
  server.addService(healthService, implementation);
  const credentials = options.tls
    ? ServerCredentials.createSsl(
        null,
        [
          {
            private_key: Buffer.from(options.tls.keyPem),
            cert_chain: Buffer.from(options.tls.certPem),
          },
        ],
        false,
      )
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    port,
    target: `${options.tls ? 'localhost' : '127.0.0.1'}:${port}`,
    setStatus: (service, serving) => statuses.set(service, serving),
    lastMetadata: () => metadata,
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}
