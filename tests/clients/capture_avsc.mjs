// Reads Event Hubs Capture files with avsc (an independent Avro reader) and
// prints one JSON line per event: {"file", "seq", "key" (hex of the
// x-opt-partition-key string, or null), "body" (hex or null), "h": [[name,
// value hex], ...]}. Used by tests/clients/capture_check.py.
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
const avro = require('avsc');
const zlib = require('node:zlib');

// avsc ships no snappy codec: Avro's snappy is a raw snappy block followed
// by the big-endian CRC-32 of the uncompressed bytes. A plain decoder of the
// snappy block format (literals and copies), written here for the test.
function unsnappy(buf) {
    let pos = 0;
    let len = 0;
    for (let shift = 0; ; shift += 7) {
        const b = buf[pos++];
        len += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) break;
    }
    const out = Buffer.alloc(len);
    let o = 0;
    while (pos < buf.length) {
        const tag = buf[pos++];
        const kind = tag & 3;
        if (kind === 0) {
            let n = tag >> 2;
            if (n >= 60) {
                const bytes = n - 59;
                n = 0;
                for (let i = 0; i < bytes; i++) n += buf[pos++] * 2 ** (8 * i);
            }
            n += 1;
            buf.copy(out, o, pos, pos + n);
            pos += n;
            o += n;
            continue;
        }
        let n;
        let off;
        if (kind === 1) {
            n = ((tag >> 2) & 7) + 4;
            off = ((tag >> 5) << 8) | buf[pos++];
        } else if (kind === 2) {
            n = (tag >> 2) + 1;
            off = buf.readUInt16LE(pos);
            pos += 2;
        } else {
            n = (tag >> 2) + 1;
            off = buf.readUInt32LE(pos);
            pos += 4;
        }
        if (off === 0 || off > o) throw new Error('snappy: bad copy offset');
        for (let i = 0; i < n; i++, o++) out[o] = out[o - off];
    }
    if (o !== len) throw new Error('snappy: length mismatch');
    return out;
}

const codecs = {
    null: (buf, cb) => cb(null, buf),
    deflate: (buf, cb) => zlib.inflateRaw(buf, cb),
    snappy: (buf, cb) => {
        try {
            const data = unsnappy(buf.subarray(0, buf.length - 4));
            if ((zlib.crc32(data) >>> 0) !== buf.readUInt32BE(buf.length - 4)) {
                throw new Error('snappy: CRC-32 mismatch');
            }
            cb(null, data);
        } catch (e) {
            cb(e);
        }
    },
};

function readFile(path) {
    return new Promise((resolve, reject) => {
        const out = [];
        avro.createFileDecoder(path, { codecs })
            .on('data', (r) => out.push(r))
            .on('error', reject)
            .on('end', () => resolve(out));
    });
}

// A union value decodes as a wrapped object ({bytes: Buffer}, {string: s}, ...).
function unwrap(v) {
    if (v === null || v === undefined) return null;
    if (Buffer.isBuffer(v)) return v;
    const k = Object.keys(v)[0];
    return v[k];
}

for (const file of process.argv.slice(2)) {
    const recs = await readFile(file);
    for (const r of recs) {
        const key = unwrap(r.SystemProperties['x-opt-partition-key']);
        const body = unwrap(r.Body);
        const h = Object.entries(r.Properties).map(([k, v]) => [k, Buffer.from(unwrap(v)).toString('hex')]);
        process.stdout.write(JSON.stringify({
            file,
            seq: Number(r.SequenceNumber),
            key: key === null ? null : Buffer.from(String(key), 'utf8').toString('hex'),
            body: body === null ? null : Buffer.from(body).toString('hex'),
            h,
        }) + '\n');
    }
}
