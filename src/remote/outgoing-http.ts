// Every HTTP request Glose makes (deliveries, documents and keys, link previews) goes through one
// guarded agent: no connection to a private address unless ALLOW_PRIVATE_ADDRESS (checked on
// the address actually connected to, after DNS, so that rebinding cannot get in), and limits on
// time and size, so that a slow or hostile server can neither stall a worker nor fill memory.
import dns from "node:dns";
import { isIP } from "node:net";
import { isValidPublicIPv4Address, isValidPublicIPv6Address } from "@fedify/vocab-runtime";
import { Agent, buildConnector, setGlobalDispatcher, type Dispatcher } from "undici";

export const OUTGOING_LIMITS = {
  connectMs: 10_000,
  /** From the request to the whole answer: a server that trickles its bytes is cut off. */
  totalMs: 30_000,
  maxResponseBytes: 5 * 1024 * 1024,
} as const;

export class PrivateAddressError extends Error {
  override name = "PrivateAddressError";
  readonly code = "EPRIVATEADDRESS";
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return isValidPublicIPv4Address(address);
  if (family === 6) return isValidPublicIPv6Address(address);
  return false;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that refuses any answer naming a private address. */
function publicOnlyLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error !== null) return callback(error, []);
    const refused = addresses.find(({ address }) => !isPublicAddress(address));
    if (refused !== undefined) {
      return callback(new PrivateAddressError(`${hostname} resolves to ${refused.address}, not a public address`), []);
    }
    if (options.all === true) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}

export interface OutgoingOptions {
  readonly allowPrivateAddress: boolean;
  readonly limits?: Partial<Record<keyof typeof OUTGOING_LIMITS, number>>;
}

export function createOutgoingAgent(options: OutgoingOptions): Dispatcher {
  const limits = { ...OUTGOING_LIMITS, ...options.limits };
  const connect = buildConnector({
    timeout: limits.connectMs,
    ...(options.allowPrivateAddress ? {} : { lookup: publicOnlyLookup as never }),
  });
  const agent = new Agent({
    connect: options.allowPrivateAddress
      ? connect
      : (connectOptions, callback) => {
          // A literal IP address never reaches the lookup.
          const host = connectOptions.hostname.replace(/^\[|\]$/g, "");
          if (isIP(host) !== 0 && !isPublicAddress(host)) {
            return callback(new PrivateAddressError(`${host} is not a public address`), null);
          }
          return connect(connectOptions, callback);
        },
    headersTimeout: limits.totalMs,
    bodyTimeout: limits.totalMs,
    maxResponseSize: limits.maxResponseBytes,
  });
  return agent.compose(deadline(limits.totalMs));
}

/** Makes the guarded agent the one behind `fetch` in this process. */
export function installOutgoingAgent(options: OutgoingOptions): void {
  setGlobalDispatcher(createOutgoingAgent(options));
}

/** Aborts a request whose whole answer has not arrived within `ms`. */
function deadline(ms: number): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = () => clearTimeout(timer);
    return dispatch(options, {
      ...handler,
      onRequestStart(controller, context) {
        timer = setTimeout(() => controller.abort(new Error(`no complete answer within ${ms / 1000} s`)), ms);
        timer.unref();
        handler.onRequestStart?.(controller, context);
      },
      onResponseStart: handler.onResponseStart?.bind(handler),
      onResponseData: handler.onResponseData?.bind(handler),
      onResponseEnd(controller, trailers) {
        stop();
        handler.onResponseEnd?.(controller, trailers);
      },
      onResponseError(controller, error) {
        stop();
        handler.onResponseError?.(controller, error);
      },
    });
  };
}
