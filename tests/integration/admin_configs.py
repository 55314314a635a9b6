"""Admin config APIs against the hub, with confluent-kafka's AdminClient.

Creates a hub with topic configs, reads them back with DescribeConfigs,
rejects unknown and unsupported configs, changes retention with
IncrementalAlterConfigs and AlterConfigs, and checks that the new retention
deletes old segments of the running hub (the log start offset moves).
Usage: admin_configs.py BOOTSTRAP
"""
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import (AdminClient, ConfigResource, NewTopic)

bootstrap = sys.argv[1]
admin = AdminClient({"bootstrap.servers": bootstrap})
failures = []


def check(what, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + what + (": " + str(detail) if detail and not cond else ""))
    if not cond:
        failures.append(what)


def describe(topic):
    res = ConfigResource(ConfigResource.Type.TOPIC, topic)
    return {k: v.value for k, v in admin.describe_configs([res])[res].result(30).items()}


# Create with configs.
t = NewTopic("cfg", num_partitions=1, replication_factor=1,
             config={"segment.bytes": "1048576", "retention.ms": "-1",
                     "message.timestamp.type": "CreateTime"})
admin.create_topics([t])["cfg"].result(30)
cfg = describe("cfg")
check("segment.bytes set at creation", cfg.get("segment.bytes") == "1048576", cfg)
check("retention.ms set at creation", cfg.get("retention.ms") == "-1", cfg)
check("timestamp type set at creation", cfg.get("message.timestamp.type") == "CreateTime", cfg)
check("cleanup.policy is delete", cfg.get("cleanup.policy") == "delete", cfg)

# Unknown and unsupported configs are refused with INVALID_CONFIG.
for bad in ({"no.such.config": "1"}, {"cleanup.policy": "compact"}, {"retention.ms": "soon"}):
    try:
        admin.create_topics([NewTopic("bad", 1, 1, config=bad)])["bad"].result(30)
        check("refused %s" % bad, False, "created")
    except KafkaException as e:
        check("refused %s" % bad, e.args[0].name() == "INVALID_CONFIG", e)

# Broker configs are described.
b = ConfigResource(ConfigResource.Type.BROKER, "1")
bcfg = {k: v.value for k, v in admin.describe_configs([b])[b].result(30).items()}
check("broker num.partitions", bcfg.get("num.partitions") == "4", bcfg)

# Fill several 1 MiB segments.
p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
for i in range(4000):
    p.produce("cfg", value=b"%06d" % i + b"x" * 1000, partition=0)
    if i % 500 == 0:
        p.poll(0)
p.flush(60)


def log_start():
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "cfg-check"})
    lo, hi = c.get_watermark_offsets(TopicPartition("cfg", 0), timeout=30)
    c.close()
    return lo, hi


lo, hi = log_start()
check("all events stored", hi == 4000 and lo == 0, (lo, hi))

# Legacy AlterConfigs replaces the whole set: timestamp type back to default.
r = ConfigResource(ConfigResource.Type.TOPIC, "cfg",
                   set_config={"segment.bytes": "1048576", "retention.ms": "-1"})
admin.alter_configs([r])[r].result(30)
cfg = describe("cfg")
check("AlterConfigs resets unlisted configs",
      cfg.get("message.timestamp.type") == "LogAppendTime", cfg)

# Now limit the size: retention deletes whole old segments of the live log.
r = ConfigResource(ConfigResource.Type.TOPIC, "cfg",
                   set_config={"segment.bytes": "1048576", "retention.bytes": "1048576",
                               "retention.ms": "-1"})
admin.alter_configs([r])[r].result(30)
check("retention.bytes changed", describe("cfg").get("retention.bytes") == "1048576")
deadline = time.time() + 60
while time.time() < deadline:
    lo, hi = log_start()
    if lo > 0:
        break
    time.sleep(0.5)
check("retention deleted old segments of the running hub", lo > 0 and hi == 4000, (lo, hi))

sys.exit(1 if failures else 0)
