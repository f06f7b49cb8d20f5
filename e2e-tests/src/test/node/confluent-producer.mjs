// A product service as the e2e tests need one: it writes `grade.posted` events to its own Kafka
// topics with Confluent's own Avro serializer and schema registry client, so the values carry
// Confluent's wire format (byte 0, the 4-byte schema id, the Avro body), not one Tidings made.
//
//   node confluent-producer.mjs <bootstrap servers> <registry URL> <declared topic> <inferred topic> <student>
//
// <declared topic>: the service registers its declared schema (with logical types: timestamp-millis,
//   decimal) and serializes with the subject's latest version.
// <inferred topic>: the serializer registers the schema it infers from the value (autoRegisterSchemas).
// Prints one JSON line per record written: {topic, subject, schemaId, registeredId, hex}.
import { AvroSerializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';
import { Kafka, logLevel } from 'kafkajs';

const [bootstrap, registryUrl, declaredTopic, inferredTopic, student] = process.argv.slice(2);
if (!student) {
  console.error('usage: node confluent-producer.mjs <bootstrap> <registry URL> <declared topic> <inferred topic> <student>');
  process.exit(2);
}

const GRADE_POSTED = {
  type: 'record',
  name: 'GradePosted',
  namespace: 'school',
  fields: [
    { name: 'studentId', type: 'string' },
    { name: 'course', type: 'string' },
    { name: 'score', type: { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 2 } },
    { name: 'postedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'comment', type: ['null', 'string'], default: null },
  ],
};

/** A decimal's unscaled value as Avro's decimal bytes: big-endian two's complement. */
function decimalBytes(unscaled) {
  let hex = BigInt.asUintN(64, BigInt(unscaled)).toString(16).padStart(16, '0');
  let bytes = Buffer.from(hex, 'hex');
  while (bytes.length > 1 && ((bytes[0] === 0x00 && (bytes[1] & 0x80) === 0) || (bytes[0] === 0xff && (bytes[1] & 0x80) !== 0))) {
    bytes = bytes.subarray(1);
  }
  return bytes;
}

const registry = new SchemaRegistryClient({ baseURLs: [registryUrl] });

const declaredSubject = `${declaredTopic}-value`;
await registry.register(declaredSubject, { schemaType: 'AVRO', schema: JSON.stringify(GRADE_POSTED) });
const declared = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true });
const declaredValue = await declared.serialize(declaredTopic, {
  studentId: student,
  course: 'math',
  score: decimalBytes(1750), // 17.50 at scale 2
  postedAt: Date.parse('2026-12-04T10:15:30.123Z'),
  comment: 'well done',
});

const inferred = new AvroSerializer(registry, SerdeType.VALUE, { autoRegisterSchemas: true });
const inferredValue = await inferred.serialize(inferredTopic, {
  studentId: student,
  course: 'physics',
  grade: 'B+',
  attempt: 2,
});

const kafka = new Kafka({ clientId: 'confluent-producer', brokers: bootstrap.split(','), logLevel: logLevel.ERROR });
const producer = kafka.producer();
await producer.connect();
try {
  for (const [topic, value] of [[declaredTopic, declaredValue], [inferredTopic, inferredValue]]) {
    await producer.send({ topic, acks: -1, messages: [{ key: student, value }] });
    const subject = `${topic}-value`;
    const latest = await registry.getLatestSchemaMetadata(subject);
    console.log(JSON.stringify({
      topic,
      subject,
      schemaId: value.readInt32BE(1),
      registeredId: latest.id,
      hex: value.toString('hex'),
    }));
  }
} finally {
  await producer.disconnect();
}
