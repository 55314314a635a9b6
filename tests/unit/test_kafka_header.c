/* Kafka headers, framing, the API table and the codec's edge cases: tagged
 * fields (known, unknown, mis-sized), nulls where a version forbids them,
 * hostile array counts, the arena cap, zero-copy records gaps. Expected bytes
 * are written out by hand from the protocol description. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/reader.h"
#include "kafka/gen/kafka_msgs.h"
#include "kafka/header.h"
#include "test.h"

TEST(api_table_matches_the_json)
{
    EXPECT_EQ_STR(eddy_kafka_api_name(0), "Produce");
    EXPECT_EQ_STR(eddy_kafka_api_name(18), "ApiVersions");
    EXPECT_EQ_STR(eddy_kafka_api_name(EDDY_KAFKA_API_Metadata), "Metadata");
    EXPECT_EQ_STR(eddy_kafka_api_name(999), "Unknown");
    EXPECT_EQ_STR(eddy_kafka_api_name(-1), "Unknown");
    EXPECT_EQ_INT(EDDY_KAFKA_API_Fetch, 1);
    EXPECT_EQ_INT(EDDY_KAFKA_API_SaslAuthenticate, 36);
    EXPECT_EQ_INT(EDDY_KAFKA_API_ConsumerGroupDescribe, 69);

    const eddy_kafka_api_info *p = eddy_kafka_api_get(EDDY_KAFKA_API_Produce);
    EXPECT_TRUE(p != NULL);
    EXPECT_EQ_INT(p->min_version, 0);
    EXPECT_EQ_INT(p->max_version, 11);
    EXPECT_EQ_INT(p->first_flexible, 9);
    EXPECT_EQ_STR(p->request->name, "ProduceRequest");
    EXPECT_EQ_STR(p->response->name, "ProduceResponse");
    EXPECT_EQ_INT(p->request->size, sizeof(eddy_kafka_ProduceRequest));

    const eddy_kafka_api_info *f = eddy_kafka_api_get(EDDY_KAFKA_API_Fetch);
    EXPECT_EQ_INT(f->max_version, 17);
    EXPECT_EQ_INT(f->first_flexible, 12);
    const eddy_kafka_api_info *sh = eddy_kafka_api_get(EDDY_KAFKA_API_SaslHandshake);
    EXPECT_EQ_INT(sh->first_flexible, -1);
    EXPECT_EQ_INT(eddy_kafka_api_get(EDDY_KAFKA_API_ApiVersions)->first_flexible, 3);
    EXPECT_TRUE(eddy_kafka_api_get(7) == NULL);

    EXPECT_TRUE(eddy_kafka_api_version_valid(3, 12));
    EXPECT_TRUE(!eddy_kafka_api_version_valid(3, 13));
    EXPECT_TRUE(!eddy_kafka_api_version_valid(3, -1));
    EXPECT_TRUE(!eddy_kafka_api_version_valid(7, 0));

    /* Keys in ascending order, each looked up to itself. */
    for (size_t i = 0; i < eddy_kafka_api_count; i++) {
        EXPECT_TRUE(eddy_kafka_api_get(eddy_kafka_apis[i].key) == &eddy_kafka_apis[i]);
        EXPECT_TRUE(i == 0 || eddy_kafka_apis[i - 1].key < eddy_kafka_apis[i].key);
    }
    EXPECT_EQ_INT(eddy_kafka_api_count, 35);
}

TEST(header_versions)
{
    EXPECT_EQ_INT(eddy_kafka_request_header_version(18, 0), 1);
    EXPECT_EQ_INT(eddy_kafka_request_header_version(18, 3), 2);
    EXPECT_EQ_INT(eddy_kafka_request_header_version(18, 4), 2);
    EXPECT_EQ_INT(eddy_kafka_request_header_version(18, 9), 2); /* future version */
    EXPECT_EQ_INT(eddy_kafka_request_header_version(3, 8), 1);
    EXPECT_EQ_INT(eddy_kafka_request_header_version(3, 9), 2);
    EXPECT_EQ_INT(eddy_kafka_request_header_version(0, 7), 1);
    EXPECT_EQ_INT(eddy_kafka_request_header_version(17, 1), 1);
    EXPECT_EQ_INT(eddy_kafka_request_header_version(999, 5), 1);

    /* ApiVersions responses are always header v0 (KIP-511). */
    EXPECT_EQ_INT(eddy_kafka_response_header_version(18, 0), 0);
    EXPECT_EQ_INT(eddy_kafka_response_header_version(18, 3), 0);
    EXPECT_EQ_INT(eddy_kafka_response_header_version(18, 4), 0);
    EXPECT_EQ_INT(eddy_kafka_response_header_version(3, 8), 0);
    EXPECT_EQ_INT(eddy_kafka_response_header_version(3, 9), 1);
    EXPECT_EQ_INT(eddy_kafka_response_header_version(1, 11), 0);
    EXPECT_EQ_INT(eddy_kafka_response_header_version(1, 12), 1);
    EXPECT_EQ_INT(eddy_kafka_response_header_version(17, 1), 0);
}

TEST(request_header_v1_and_v2)
{
    /* Metadata v4 (header v1): key 3, version 4, corr 7, client "ab". */
    static const uint8_t v1[] = {0, 3, 0, 4, 0, 0, 0, 7, 0, 2, 'a', 'b', 0xee};
    eddy_reader r;
    eddy_reader_init(&r, v1, sizeof v1);
    eddy_kafka_request_header h;
    EXPECT_EQ_INT(eddy_kafka_request_header_decode(&r, &h), 0);
    EXPECT_EQ_INT(h.api_key, 3);
    EXPECT_EQ_INT(h.api_version, 4);
    EXPECT_EQ_INT(h.correlation_id, 7);
    EXPECT_TRUE(eddy_kstr_eq(h.client_id, "ab"));
    EXPECT_EQ_INT(r.pos, 12); /* the body starts right after the client id */

    /* ApiVersions v3 (header v2): null client id, then a tagged-field
     * section holding one unknown field (tag 5, 2 bytes) that is skipped. */
    static const uint8_t v2[] = {0,    18,   0, 3, 0x12, 0x34, 0x56, 0x78,
                                 0xff, 0xff, 1, 5, 2,    0xaa, 0xbb, 0x42};
    eddy_reader_init(&r, v2, sizeof v2);
    EXPECT_EQ_INT(eddy_kafka_request_header_decode(&r, &h), 0);
    EXPECT_EQ_INT(h.correlation_id, 0x12345678);
    EXPECT_EQ_INT(h.client_id.len, -1);
    EXPECT_EQ_INT(r.pos, sizeof v2 - 1);

    /* Truncated in the tagged fields. */
    eddy_reader_init(&r, v2, sizeof v2 - 3);
    EXPECT_EQ_INT(eddy_kafka_request_header_decode(&r, &h), EDDY_ERR_PARSE);
    /* A negative client id length other than -1. */
    static const uint8_t bad[] = {0, 3, 0, 4, 0, 0, 0, 7, 0xff, 0xfe};
    eddy_reader_init(&r, bad, sizeof bad);
    EXPECT_EQ_INT(eddy_kafka_request_header_decode(&r, &h), EDDY_ERR_PARSE);

    /* Encoding gives the same bytes back. */
    eddy_buf b;
    eddy_buf_init(&b, 0);
    eddy_kafka_request_header out = {18, 3, 0x12345678, EDDY_KSTR_NULL};
    EXPECT_EQ_INT(eddy_kafka_request_header_encode(&b, &out), 0);
    static const uint8_t want[] = {0, 18, 0, 3, 0x12, 0x34, 0x56, 0x78, 0xff, 0xff, 0};
    EXPECT_EQ_MEM(b.data, b.len, want, sizeof want);
    eddy_buf_deinit(&b);
}

TEST(peek_reads_only_the_fixed_part)
{
    static const uint8_t p[] = {0, 18, 0, 9, 0, 0, 1, 0};
    int16_t key = 0, version = 0;
    int32_t corr = 0;
    EXPECT_EQ_INT(eddy_kafka_request_peek(p, sizeof p, &key, &version, &corr), 0);
    EXPECT_EQ_INT(key, 18);
    EXPECT_EQ_INT(version, 9);
    EXPECT_EQ_INT(corr, 256);
    EXPECT_EQ_INT(eddy_kafka_request_peek(p, 7, &key, &version, &corr), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(eddy_kafka_request_peek(p, sizeof p, NULL, NULL, &corr), 0);
}

TEST(response_header_and_frame)
{
    eddy_buf b;
    eddy_buf_init(&b, 0);
    size_t start = eddy_kafka_frame_begin(&b);
    EXPECT_EQ_INT(eddy_kafka_response_header_encode(&b, EDDY_KAFKA_API_Fetch, 12, 5), 0);
    eddy_buf_put_u8(&b, 0x77);
    EXPECT_EQ_INT(eddy_kafka_frame_end(&b, start, 0), 0);
    static const uint8_t want[] = {0, 0, 0, 6, 0, 0, 0, 5, 0, 0x77};
    EXPECT_EQ_MEM(b.data, b.len, want, sizeof want);

    eddy_buf_reset(&b);
    start = eddy_kafka_frame_begin(&b);
    EXPECT_EQ_INT(eddy_kafka_response_header_encode(&b, EDDY_KAFKA_API_ApiVersions, 3, 5), 0);
    EXPECT_EQ_INT(eddy_kafka_frame_end(&b, start, 100), 0);
    static const uint8_t want2[] = {0, 0, 0, 104, 0, 0, 0, 5};
    EXPECT_EQ_MEM(b.data, b.len, want2, sizeof want2);

    eddy_reader r;
    eddy_reader_init(&r, want + 4, 5);
    int32_t corr = 0;
    EXPECT_EQ_INT(eddy_kafka_response_header_decode(&r, EDDY_KAFKA_API_Fetch, 12, &corr), 0);
    EXPECT_EQ_INT(corr, 5);
    EXPECT_EQ_INT(eddy_reader_remaining(&r), 0);

    EXPECT_EQ_INT(eddy_kafka_frame_end(&b, start, (size_t)INT32_MAX), EDDY_ERR_LIMIT);
    eddy_buf_deinit(&b);
}

TEST(tagged_fields_known_unknown_and_missized)
{
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_kafka_ApiVersionsRequest req;
    eddy_reader r;
    /* name "ab", version "1", then tags: unknown 7 (3 bytes) and 9 (0). */
    static const uint8_t unk[] = {3, 'a', 'b', 2, '1', 2, 7, 3, 1, 2, 3, 9, 0};
    eddy_reader_init(&r, unk, sizeof unk);
    EXPECT_EQ_INT(eddy_kafka_ApiVersionsRequest_decode(&r, 3, &arena, &req), 0);
    EXPECT_TRUE(eddy_kstr_eq(req.ClientSoftwareName, "ab"));
    EXPECT_TRUE(eddy_kstr_eq(req.ClientSoftwareVersion, "1"));
    EXPECT_EQ_INT(eddy_reader_remaining(&r), 0);

    /* A tag section claiming more bytes than remain. */
    static const uint8_t trunc[] = {3, 'a', 'b', 2, '1', 1, 7, 9, 1};
    eddy_reader_init(&r, trunc, sizeof trunc);
    EXPECT_EQ_INT(eddy_kafka_ApiVersionsRequest_decode(&r, 3, &arena, &req), EDDY_ERR_PARSE);

    /* ApiVersionsResponse v3: known tag 1 (FinalizedFeaturesEpoch, int64)
     * with a size of 9 instead of 8 is malformed. */
    static const uint8_t missized[] = {0, 0, 1, 0, 0, 0, 0, 1, 1, 9, 0, 0, 0, 0, 0, 0, 0, 5, 0};
    eddy_kafka_ApiVersionsResponse resp;
    eddy_reader_init(&r, missized, sizeof missized);
    EXPECT_EQ_INT(eddy_kafka_ApiVersionsResponse_decode(&r, 3, &arena, &resp), EDDY_ERR_PARSE);
    static const uint8_t sized[] = {0, 0, 1, 0, 0, 0, 0, 1, 1, 8, 0, 0, 0, 0, 0, 0, 0, 5};
    eddy_reader_init(&r, sized, sizeof sized);
    EXPECT_EQ_INT(eddy_kafka_ApiVersionsResponse_decode(&r, 3, &arena, &resp), 0);
    EXPECT_EQ_INT(resp.FinalizedFeaturesEpoch, 5);
    EXPECT_EQ_INT(resp.ApiKeys.count, 0);
    eddy_arena_deinit(&arena);
}

TEST(nulls_only_where_the_version_allows)
{
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_kafka_MetadataRequest req;
    eddy_reader r;
    /* Topics null: allowed from v1, not in v0. */
    static const uint8_t null_topics[] = {0xff, 0xff, 0xff, 0xff};
    eddy_reader_init(&r, null_topics, sizeof null_topics);
    EXPECT_EQ_INT(eddy_kafka_MetadataRequest_decode(&r, 1, &arena, &req), 0);
    EXPECT_EQ_INT(req.Topics.count, -1);
    eddy_reader_init(&r, null_topics, sizeof null_topics);
    EXPECT_EQ_INT(eddy_kafka_MetadataRequest_decode(&r, 0, &arena, &req), EDDY_ERR_PARSE);
    /* A topic name null: only from v10. */
    static const uint8_t null_name[] = {0, 0, 0, 1, 0xff, 0xff};
    eddy_reader_init(&r, null_name, sizeof null_name);
    EXPECT_EQ_INT(eddy_kafka_MetadataRequest_decode(&r, 1, &arena, &req), EDDY_ERR_PARSE);

    /* Encoding a null where the version cannot say null writes empty. */
    eddy_buf b;
    eddy_buf_init(&b, 0);
    eddy_kafka_MetadataRequest_init(&req);
    req.Topics.count = -1;
    EXPECT_EQ_INT(eddy_kafka_MetadataRequest_encode(&b, 0, &req), 0);
    static const uint8_t empty[] = {0, 0, 0, 0};
    EXPECT_EQ_MEM(b.data, b.len, empty, sizeof empty);
    eddy_buf_reset(&b);
    EXPECT_EQ_INT(eddy_kafka_MetadataRequest_encode(&b, 1, &req), 0);
    EXPECT_EQ_MEM(b.data, b.len, null_topics, sizeof null_topics);

    eddy_kafka_MetadataRequest_MetadataRequestTopic t;
    eddy_kafka_MetadataRequest_MetadataRequestTopic_init(&t);
    t.Name = EDDY_KSTR_NULL;
    req.Topics.items = &t;
    req.Topics.count = 1;
    eddy_buf_reset(&b);
    EXPECT_EQ_INT(eddy_kafka_MetadataRequest_encode(&b, 1, &req), 0);
    static const uint8_t empty_name[] = {0, 0, 0, 1, 0, 0};
    EXPECT_EQ_MEM(b.data, b.len, empty_name, sizeof empty_name);

    /* A positive count without items is the caller's error, not a crash. */
    req.Topics.items = NULL;
    eddy_buf_reset(&b);
    EXPECT_EQ_INT(eddy_kafka_MetadataRequest_encode(&b, 1, &req), EDDY_ERR_INVALID_ARG);
    /* So is a string too long for an int16 length. */
    eddy_kafka_FindCoordinatorRequest fc;
    eddy_kafka_FindCoordinatorRequest_init(&fc);
    static char longkey[40000];
    memset(longkey, 'k', sizeof longkey);
    fc.Key.p = longkey;
    fc.Key.len = (int32_t)sizeof longkey;
    eddy_buf_reset(&b);
    EXPECT_EQ_INT(eddy_kafka_FindCoordinatorRequest_encode(&b, 2, &fc), EDDY_ERR_INVALID_ARG);
    eddy_buf_reset(&b);
    EXPECT_EQ_INT(eddy_kafka_FindCoordinatorRequest_encode(&b, 3, &fc), 0); /* compact */
    eddy_buf_deinit(&b);
    eddy_arena_deinit(&arena);
}

TEST(hostile_counts_never_reach_the_allocator)
{
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    /* Produce v7: null transactional id, acks, timeout, then 2^31-1 topics. */
    static const uint8_t p[] = {0xff, 0xff, 0, 1, 0,   0, 0x75, 0x30, 0x7f, 0xff,
                                0xff, 0xff, 0, 1, 't', 0, 0,    0,    0};
    eddy_kafka_ProduceRequest req;
    eddy_reader r;
    eddy_reader_init(&r, p, sizeof p);
    EXPECT_EQ_INT(eddy_kafka_ProduceRequest_decode(&r, 7, &arena, &req), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(arena.used, 0);
    /* Flexible: a compact count of 2^32-2. */
    static const uint8_t q[] = {0, 0, 1, 0, 0, 0x75, 0x30, 0xff, 0xff, 0xff, 0xff, 0x0f, 0};
    eddy_reader_init(&r, q, sizeof q);
    EXPECT_EQ_INT(eddy_kafka_ProduceRequest_decode(&r, 9, &arena, &req), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(arena.used, 0);
    /* A count that fits the bytes but not the arena's cap: NOMEM.
     * DeleteGroupsRequest v0 is GroupsNames []string; a count of 1000 and
     * 1000 empty strings take 2004 bytes of input and 16000 of arena. */
    uint8_t many[4 + 2 * 1000];
    memset(many, 0, sizeof many);
    many[2] = 0x03;
    many[3] = 0xe8;
    eddy_arena small;
    eddy_arena_init(&small, 256, 1024);
    eddy_kafka_DeleteGroupsRequest dg;
    eddy_reader_init(&r, many, 4 + 2 * 1000);
    EXPECT_EQ_INT(eddy_kafka_DeleteGroupsRequest_decode(&r, 0, &small, &dg), EDDY_ERR_NOMEM);
    eddy_arena_deinit(&small);
    eddy_arena_init(&small, 0, 0);
    eddy_reader_init(&r, many, 4 + 2 * 1000);
    EXPECT_EQ_INT(eddy_kafka_DeleteGroupsRequest_decode(&r, 0, &small, &dg), 0);
    EXPECT_EQ_INT(dg.GroupsNames.count, 1000);
    EXPECT_EQ_INT(dg.GroupsNames.items[999].len, 0);
    eddy_arena_deinit(&small);
    eddy_arena_deinit(&arena);
}

TEST(records_gaps_leave_room_for_sendfile)
{
    /* FetchResponse v12: one topic, two partitions, whose records the caller
     * sends itself (300 and 5 bytes). */
    eddy_kafka_FetchResponse resp;
    eddy_kafka_FetchResponse_init(&resp);
    eddy_kafka_FetchResponse_FetchableTopicResponse topic;
    eddy_kafka_FetchResponse_FetchableTopicResponse_init(&topic);
    eddy_kafka_FetchResponse_PartitionData parts[2];
    for (int i = 0; i < 2; i++) {
        eddy_kafka_FetchResponse_PartitionData_init(&parts[i]);
        parts[i].PartitionIndex = i;
    }
    parts[0].Records.len = 300;
    parts[1].Records.len = 5;
    topic.Topic = eddy_kstr_from("t");
    topic.Partitions.items = parts;
    topic.Partitions.count = 2;
    resp.Responses.items = &topic;
    resp.Responses.count = 1;

    eddy_kafka_gap gap_items[2];
    eddy_kafka_gaps gaps = {gap_items, 0, 2};
    eddy_buf b;
    eddy_buf_init(&b, 0);
    size_t start = eddy_kafka_frame_begin(&b);
    eddy_kafka_response_header_encode(&b, EDDY_KAFKA_API_Fetch, 12, 9);
    EXPECT_EQ_INT(eddy_kafka_FetchResponse_encode_gaps(&b, 12, &resp, &gaps), 0);
    EXPECT_EQ_INT(eddy_kafka_frame_end(&b, start, 305), 0);
    EXPECT_EQ_INT(gaps.count, 2);
    EXPECT_EQ_INT(gaps.items[0].len, 300);
    EXPECT_EQ_INT(gaps.items[1].len, 5);
    /* Each gap follows its compact length (uvarint 301 = ad 02, then 06). */
    EXPECT_EQ_UINT(b.data[gaps.items[0].at - 2], 0xad);
    EXPECT_EQ_UINT(b.data[gaps.items[0].at - 1], 0x02);
    EXPECT_EQ_UINT(b.data[gaps.items[1].at - 1], 0x06);
    EXPECT_EQ_UINT(eddy_load_be32(b.data), b.len - 4 + 305);

    /* Splicing the bytes in gives what a plain encode of the same data
     * gives. */
    static uint8_t rec0[300], rec1[5];
    memset(rec0, 0xa0, sizeof rec0);
    memset(rec1, 0xb1, sizeof rec1);
    eddy_buf spliced;
    eddy_buf_init(&spliced, 0);
    size_t at = 4;
    const uint8_t *srcs[2] = {rec0, rec1};
    for (size_t i = 0; i < 2; i++) {
        eddy_buf_append(&spliced, b.data + at, gaps.items[i].at - at);
        eddy_buf_append(&spliced, srcs[i], gaps.items[i].len);
        at = gaps.items[i].at;
    }
    eddy_buf_append(&spliced, b.data + at, b.len - at);
    parts[0].Records.p = rec0;
    parts[1].Records.p = rec1;
    eddy_buf plain;
    eddy_buf_init(&plain, 0);
    eddy_kafka_response_header_encode(&plain, EDDY_KAFKA_API_Fetch, 12, 9);
    EXPECT_EQ_INT(eddy_kafka_FetchResponse_encode(&plain, 12, &resp), 0);
    EXPECT_EQ_MEM(spliced.data, spliced.len, plain.data, plain.len);

    /* Without a gaps array, or with too small a one, the encode fails. */
    parts[0].Records.p = NULL;
    eddy_buf_reset(&plain);
    EXPECT_EQ_INT(eddy_kafka_FetchResponse_encode(&plain, 12, &resp), EDDY_ERR_INVALID_ARG);
    gaps.count = 0;
    gaps.cap = 0;
    eddy_buf_reset(&plain);
    EXPECT_EQ_INT(eddy_kafka_FetchResponse_encode_gaps(&plain, 12, &resp, &gaps), EDDY_ERR_LIMIT);
    eddy_buf_deinit(&plain);
    eddy_buf_deinit(&spliced);
    eddy_buf_deinit(&b);
}

TEST(defaults_follow_the_json)
{
    eddy_kafka_FetchRequest fr;
    eddy_kafka_FetchRequest_init(&fr);
    EXPECT_EQ_INT(fr.ReplicaId, -1);
    EXPECT_EQ_INT(fr.MaxBytes, 0x7fffffff);
    EXPECT_EQ_INT(fr.SessionEpoch, -1);
    EXPECT_EQ_INT(fr.ClusterId.len, -1);
    EXPECT_TRUE(fr.RackId.len == 0);
    eddy_kafka_MetadataRequest mr;
    eddy_kafka_MetadataRequest_init(&mr);
    EXPECT_TRUE(mr.AllowAutoTopicCreation);
    eddy_kafka_MetadataResponse mp;
    eddy_kafka_MetadataResponse_init(&mp);
    EXPECT_EQ_INT(mp.ControllerId, -1);
    EXPECT_EQ_INT(mp.ClusterId.len, -1);
    EXPECT_EQ_INT(mp.ClusterAuthorizedOperations, INT32_MIN);
    eddy_kafka_CreateTopicsRequest ct;
    eddy_kafka_CreateTopicsRequest_init(&ct);
    EXPECT_EQ_INT(ct.timeoutMs, 60000);
    eddy_kafka_ProduceResponse_PartitionProduceResponse pp;
    eddy_kafka_ProduceResponse_PartitionProduceResponse_init(&pp);
    EXPECT_EQ_INT(pp.LogAppendTimeMs, -1);
    EXPECT_EQ_INT(pp.LogStartOffset, -1);
    EXPECT_EQ_INT(pp.ErrorMessage.len, -1);
    EXPECT_EQ_INT(pp.CurrentLeader.LeaderId, -1);
    EXPECT_EQ_INT(pp.CurrentLeader.LeaderEpoch, -1);
    eddy_kafka_ConsumerGroupHeartbeatResponse hb;
    eddy_kafka_ConsumerGroupHeartbeatResponse_init(&hb);
    EXPECT_TRUE(hb.Assignment == NULL);
    /* Records default to empty, not null: what a broker must send. */
    eddy_kafka_FetchResponse_PartitionData pd;
    eddy_kafka_FetchResponse_PartitionData_init(&pd);
    EXPECT_EQ_INT(pd.Records.len, 0);
    EXPECT_EQ_INT(pd.LastStableOffset, -1);
    EXPECT_EQ_INT(pd.PreferredReadReplica, -1);

    /* Fields absent in the decoded version keep their defaults. */
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    static const uint8_t v0[] = {0, 0, 0, 0};
    eddy_reader r;
    eddy_reader_init(&r, v0, sizeof v0);
    mr.AllowAutoTopicCreation = false;
    EXPECT_EQ_INT(eddy_kafka_MetadataRequest_decode(&r, 0, &arena, &mr), 0);
    EXPECT_TRUE(mr.AllowAutoTopicCreation);
    EXPECT_EQ_INT(mr.Topics.count, 0);
    eddy_arena_deinit(&arena);
}

int main(void)
{
    RUN(api_table_matches_the_json);
    RUN(header_versions);
    RUN(request_header_v1_and_v2);
    RUN(peek_reads_only_the_fixed_part);
    RUN(response_header_and_frame);
    RUN(tagged_fields_known_unknown_and_missized);
    RUN(nulls_only_where_the_version_allows);
    RUN(hostile_counts_never_reach_the_allocator);
    RUN(records_gaps_leave_room_for_sendfile);
    RUN(defaults_follow_the_json);
    return test_summary();
}
