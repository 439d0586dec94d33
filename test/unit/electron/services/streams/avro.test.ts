// Avro streams: values decoded with the schema from the contract, Confluent's wire format with
// and without a schema registry, and bytes that are not Avro shown raw with the reason.
// No schema registry can run on this machine (Confluent's is not on Maven Central or PyPI, and
// Apicurio's Maven artifact is a Quarkus module that needs its build step), so the registry
// path is exercised against a loopback HTTP server answering the registry's REST API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avroSchemaFromContract, avroType } from '../../../../../electron/services/streams/avro';
import { CaptureWriter } from '../../../../../electron/services/streams/capture/capture-writer';
import { openServices } from '../../../../../electron/services/services';
import type { TailEvent } from '../../../../../shared/model/stream';
import { demoFixture, type Fixture } from '../../../../helpers/workspace-fixture';
import { CatalogService } from '../../../../../electron/services/catalog/catalog-service';

const profile = (n: number) => ({ customer_id: `C-${n}`, email: `c${n}@mail.example`, full_name: `Customer ${n}`, country: 'DE', segment: 'vip', marketing_opt_in: true, updated_at: '2026-10-01T12:00:00.000Z' });
const wire = (id: number, payload: Buffer) => Buffer.concat([Buffer.from([0]), Buffer.from([id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255]), payload]);

describe('Avro streams', () => {
  let fixture: Fixture;
  let registry: Server;
  let registryUrl: string;
  const writerSchema = {
    type: 'record',
    name: 'profiles',
    fields: [
      { name: 'customer_id', type: 'string' },
      { name: 'country', type: 'string' },
      { name: 'marketing_opt_in', type: 'boolean' },
      { name: 'updated_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'loyalty_points', type: 'int' },
    ],
  };

  beforeAll(async () => {
    registry = createServer((req, res) => {
      const m = /^\/schemas\/ids\/(\d+)$/.exec(req.url ?? '');
      if (m?.[1] === '7') {
        res.writeHead(200, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
        res.end(JSON.stringify({ schema: JSON.stringify(writerSchema) }));
      } else {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error_code: 40403, message: 'Schema not found' }));
      }
    });
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
    registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;

    fixture = await demoFixture();
    await fixture.edit('contracts/customers.profile.odcs.yaml', (d) => d.setIn(['servers', 0, 'format'], 'avro'));
    const catalog = await CatalogService.open(fixture.dir);
    const object = catalog.record('customers.profile').outputs[0]!.contract!.doc.schema![0]!;
    const contractType = avroType(avroSchemaFromContract(object));
    const writer = await CaptureWriter.create(join(fixture.dir, 'captures', 'customers.profile.v3.parquet'), 'customers.profile.v3');
    const record = (offset: number, value: Buffer) => ({ offset, timestamp: Date.parse('2026-10-01T12:00:00Z') + offset, key: Buffer.from(`C-${offset}`), value, headers: [] });
    writer.append(0, [
      record(0, contractType.toBuffer(profile(0))),
      record(1, wire(1, contractType.toBuffer({ ...profile(1), email: 'not-an-address' }))),
      record(2, wire(7, avroType(writerSchema as never).toBuffer({ customer_id: 'C-2', country: 'FR', marketing_opt_in: false, updated_at: '2026-10-02T00:00:00.000Z', loyalty_points: 12 }))),
      record(3, Buffer.from('definitely not avro, far too long for the schema to parse cleanly ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~')),
    ]);
    await writer.close();
  });
  afterAll(async () => {
    await fixture.dispose();
    registry.close();
  });

  async function tail(connections?: Record<string, unknown>) {
    if (connections) await fixture.edit('dpx.workspace.yaml', (d) => d.setIn(['connections', 'customer-events'], d.createNode(connections)));
    const services = await openServices({ workspace: fixture.dir });
    const events: TailEvent[] = [];
    try {
      await services.streams.tail({ target: { product: 'customers.profile' }, from: { kind: 'earliest' }, toEnd: true }, (e) => events.push(e), new AbortController().signal);
    } finally {
      await services.close();
    }
    return events.flatMap((e) => (e.kind === 'messages' ? e.messages : []));
  }

  it('decodes plain Avro and the wire format with the contract schema, and checks the contract', async () => {
    const got = await tail();
    expect(got[0]).toMatchObject({ valueEncoding: 'avro', value: profile(0), valid: true });
    expect(got[1]).toMatchObject({ valueEncoding: 'avro', valid: false, errors: ['email: "not-an-address" does not match ^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$'] });
    expect(got[3]).toMatchObject({ valueEncoding: 'base64', valid: false, errors: [expect.stringMatching(/^value: not Avro for the contract's schema/)] });
  });

  it("without a registry, reads a wire-format payload with the contract's schema, and says when it does not fit", async () => {
    const got = await tail({ type: 'capture', path: 'captures' });
    expect(got).toHaveLength(4);
    // Schema 7 is the writer's own (an extra field): the contract's schema does not decode it.
    expect(got[2]).toMatchObject({ valid: false, valueEncoding: expect.stringMatching(/avro|base64/) });
  });

  it('uses the registry for wire-format messages (kafka connection with schemaRegistry)', async () => {
    // The capture stands in for the broker; the registry settings belong to the kafka connection,
    // so the decoder is built here the way the stream target builds it for a kafka connection.
    const { avroDecoder, SchemaRegistry } = await import('../../../../../electron/services/streams/avro');
    const catalog = await CatalogService.open(fixture.dir);
    const object = catalog.record('customers.profile').outputs[0]!.contract!.doc.schema![0]!;
    const reg = new SchemaRegistry({ url: registryUrl });
    await reg.get(7);
    const decode = avroDecoder(avroSchemaFromContract(object), reg);
    const bytes = wire(7, avroType(writerSchema as never).toBuffer({ customer_id: 'C-2', country: 'FR', marketing_opt_in: false, updated_at: '2026-10-02T00:00:00.000Z', loyalty_points: 12 }));
    expect(decode(bytes)).toEqual({ customer_id: 'C-2', country: 'FR', marketing_opt_in: false, updated_at: '2026-10-02T00:00:00.000Z', loyalty_points: 12 });
    await expect(reg.get(99)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no schema 99') });
    expect(() => decode(wire(99, Buffer.from([1, 2])))).toThrow(/schema 99 is not in the schema registry/);
  });
});
