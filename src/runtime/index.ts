// qmp-hx/runtime: what generated clients import, and a QMP client to hand them.
export {
  QmpClient,
  type QmpCallOptions,
  type QmpClientOptions,
  type QmpConnectOptions,
  type QmpEvent,
  type QmpEventListener,
  type QmpExecutor,
  type QmpGreeting,
  type QmpVersion,
} from "./client.js";
export {
  ConnectionClosedError,
  ProtocolError,
  QmpError,
  QmpHxError,
  TimeoutError,
  ValidationError,
  type ValidationIssue,
  type ValidationIssueClass,
} from "./errors.js";
export { type JsonObject, type JsonValue, parseJson, stringifyJson } from "./json.js";
