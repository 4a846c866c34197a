// qmp-hx-runtime: what generated clients import, and a QMP client to hand them.
export {
  QmpClient,
  type QmpCallOptions,
  type QmpClientOptions,
  type QmpConnectOptions,
  type AnyQmpEvent,
  type QmpEvent,
  type QmpEventListener,
  type QmpEventMap,
  type QmpEventOf,
  type QmpExecutor,
  type QmpGreeting,
  type QmpVersion,
} from "./client.js";
export {
  ConnectionClosedError,
  ProtocolError,
  QmpError,
  QmpHxError,
  replyOf,
  TimeoutError,
  ValidationError,
  type QmpErrorReply,
} from "./errors.js";
export {
  ArgumentsCheck,
  checkArguments,
  commandNotFound,
  NEWEST_HX_QEMU,
  parseQemuVersion,
  prepareArguments,
  type ArgumentsSpec,
  type ExpectedType,
  type QemuMonitor,
  type QemuVersionLike,
  type ValidateOptions,
  type ValidationIssue,
  type ValidationIssueClass,
  type ValidationIssueKind,
} from "./arguments.js";
export { type JsonObject, type JsonValue, parseJson, stringifyJson, toJsonValue } from "./json.js";
