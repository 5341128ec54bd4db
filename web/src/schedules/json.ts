// schedules/json.ts - parses a JSON text and, when it is not valid, says where: the
// line and column of the browser's parse error (V8 reports "at position N").

export type JsonResult = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number; position: number };

export function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const message = String((e as Error).message);
    const m = /position (\d+)/.exec(message);
    let position = m ? Number(m[1]) : text.length;
    const lc = /line (\d+) column (\d+)/.exec(message);
    let line: number;
    let column: number;
    if (lc && !m) {
      line = Number(lc[1]);
      column = Number(lc[2]);
      const lines = text.split('\n');
      position = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
    } else {
      const before = text.slice(0, position).split('\n');
      line = before.length;
      column = before[before.length - 1].length + 1;
    }
    return { ok: false, message: message.replace(/^JSON\.parse: /, ''), line, column, position };
  }
}
