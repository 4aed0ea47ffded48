// The standard gRPC health protocol (grpc/grpc doc/health-checking.md, package grpc.health.v1),
// coded by hand: two one-field messages do not justify loading a .proto file at run time.
//   message HealthCheckRequest { string service = 1; }
//   message HealthCheckResponse { ServingStatus status = 1; }
//   enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }

/** The unary method every health server implements. */
export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';

export const SERVING_STATUSES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;
export type ServingStatus = (typeof SERVING_STATUSES)[number];

export interface HealthCheckRequest {
  service: string;
}

export interface HealthCheckResponse {
  /** A number the enum does not know (a newer server) is kept as the number. */
  status: ServingStatus | number;
}

/** Field 1, wire type 2 (length-delimited) and wire type 0 (varint). */
const SERVICE_TAG = 0x0a;
const STATUS_TAG = 0x08;

export function encodeRequest(request: HealthCheckRequest): Buffer {
  // proto3 leaves a default (empty) string out.
  if (request.service === '') return Buffer.alloc(0);
  const text = Buffer.from(request.service, 'utf8');
  return Buffer.concat([Buffer.from([SERVICE_TAG]), encodeVarint(text.length), text]);
}

export function decodeRequest(bytes: Buffer): HealthCheckRequest {
  let service = '';
  forEachField(bytes, (field, wireType, value) => {
    if (field === 1 && wireType === 2 && Buffer.isBuffer(value)) service = value.toString('utf8');
  });
  return { service };
}

export function encodeResponse(response: HealthCheckResponse): Buffer {
  const value =
    typeof response.status === 'number'
      ? response.status
      : SERVING_STATUSES.indexOf(response.status);
  if (value === 0) return Buffer.alloc(0);
  return Buffer.concat([Buffer.from([STATUS_TAG]), encodeVarint(value)]);
}

export function decodeResponse(bytes: Buffer): HealthCheckResponse {
  let status = 0;
  forEachField(bytes, (field, wireType, value) => {
    if (field === 1 && wireType === 0 && typeof value === 'number') status = value;
  });
  return { status: SERVING_STATUSES[status] ?? status };
}

function encodeVarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/**
 * Walks a message's fields, skipping those it does not know (a newer server may add some), as
 * protobuf requires. Throws on malformed bytes: grpc-js turns that into an INTERNAL status.
 */
function forEachField(
  bytes: Buffer,
  visit: (field: number, wireType: number, value: number | Buffer) => void,
): void {
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new Error('varint longer than 10 bytes');
  };
  while (offset < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) visit(field, wireType, varint());
    else if (wireType === 2) {
      const length = varint();
      if (offset + length > bytes.length) throw new Error('truncated field');
      visit(field, wireType, bytes.subarray(offset, offset + length));
      offset += length;
    } else if (wireType === 1 || wireType === 5) offset += wireType === 1 ? 8 : 4;
    else throw new Error(`unsupported wire type ${wireType}`);
    if (offset > bytes.length) throw new Error('truncated field');
  }
}
