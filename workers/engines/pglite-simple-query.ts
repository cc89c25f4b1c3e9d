import type { PGlite } from "@electric-sql/pglite";

/** One statement's result, as PGlite's `exec` returns it (rows keyed by column name, values parsed). */
export interface SimpleQueryResult {
  rows: Record<string, unknown>[];
  fields: { name: string; dataTypeID: number }[];
}

/** Postgres refused a statement: `message` is its ErrorResponse's message, as PGlite's DatabaseError has it. */
export class PgliteStatementError extends Error {}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Runs `sql` (one or more statements) through Postgres's simple query protocol in one synchronous
 * call into PGlite, and reads the reply itself. PGlite's `exec` sends the same Query message, but
 * then a Sync in a second call, and around both takes its locks, parses each message into objects
 * and syncs its file system, all through promises: about 70 µs of JavaScript per call, 0.3 s of the
 * main thread per paper reproduction (docs/benchmarks.md, session 19). The rows are what `exec`
 * returns: one result per completed statement, each row built in column order and each value
 * parsed by the instance's own parsers (`pg.parsers`, which holds the engine's own). An
 * ErrorResponse throws its message after the reply is read, as `exec` does.
 *
 * Only for an instance this thread owns and no PGlite call of its own is pending on: nothing else
 * may run between a caller's statements (the engines of a PgliteHost take turns already).
 */
export function simpleQuery(pg: PGlite, sql: string): SimpleQueryResult[] {
  const text = encoder.encode(sql);
  const message = new Uint8Array(text.length + 6);
  const header = new DataView(message.buffer);
  message[0] = 0x51; // 'Q'
  header.setInt32(1, text.length + 5);
  message.set(text, 5);
  const reply = pg.execProtocolRawSync(message);
  return readReply(reply, pg.parsers);
}

type Parsers = PGlite["parsers"];

function readReply(reply: Uint8Array, parsers: Parsers): SimpleQueryResult[] {
  const view = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
  const results: SimpleQueryResult[] = [];
  let current: SimpleQueryResult = { rows: [], fields: [] };
  let error: string | null = null;
  let at = 0;
  // A C string starting at `from`: its text and where the next field begins.
  const cstring = (from: number): [string, number] => {
    const end = reply.indexOf(0, from);
    return [decoder.decode(reply.subarray(from, end)), end + 1];
  };
  while (at + 5 <= reply.length) {
    const type = reply[at]!;
    const end = at + 1 + view.getInt32(at + 1);
    let p = at + 5;
    switch (type) {
      case 0x54: {
        // RowDescription: a new result's columns.
        const count = view.getInt16(p);
        p += 2;
        const fields: SimpleQueryResult["fields"] = [];
        for (let i = 0; i < count; i++) {
          const [name, next] = cstring(p);
          fields.push({ name, dataTypeID: view.getInt32(next + 6) });
          p = next + 18;
        }
        current.fields = fields;
        break;
      }
      case 0x44: {
        // DataRow: text values, parsed as PGlite parses them.
        const count = view.getInt16(p);
        p += 2;
        const row: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) {
          const length = view.getInt32(p);
          p += 4;
          const field = current.fields[i]!;
          if (length < 0) {
            row[field.name] = null;
            continue;
          }
          const value = decoder.decode(reply.subarray(p, p + length));
          p += length;
          const parse = parsers[field.dataTypeID];
          row[field.name] = parse ? parse(value, field.dataTypeID) : value;
        }
        current.rows.push(row);
        break;
      }
      case 0x43:
        // CommandComplete: the statement's result is done.
        results.push(current);
        current = { rows: [], fields: [] };
        break;
      case 0x45: {
        // ErrorResponse: (code, C string) pairs up to a zero byte; M is the message.
        for (let code = reply[p]!; code !== 0 && p < end; code = reply[p]!) {
          const [value, next] = cstring(p + 1);
          if (code === 0x4d && error === null) error = value;
          p = next;
        }
        break;
      }
      // Anything else (ReadyForQuery, notices, parameter status, an empty query) carries no rows.
    }
    at = end;
  }
  if (error !== null) throw new PgliteStatementError(error);
  if (results.length === 0) results.push({ rows: [], fields: [] });
  return results;
}
