/* Request dispatch: the table of APIs the hub serves, with the version
 * ranges it advertises, and the checks every request passes first.
 *
 * Every API is advertised from version 0 (librdkafka turns features on only
 * when the broker's range overlaps old single versions; see
 * ../shared/reference/kafka-protocol.md §0-1). Versions below an API's first
 * implemented version are answered with UNSUPPORTED_VERSION in a well-formed
 * response by the handler. An unknown API key or a version above the
 * advertised maximum closes the connection, as Kafka does, except ApiVersions,
 * which always gets its v0-layout UNSUPPORTED_VERSION answer. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/reader.h"
#include "hub/handlers.h"
#include "hub/hub_int.h"
#include "kafka/gen/kafka_msgs.h"
#include "kafka/header.h"

const eddy_hub_api eddy_hub_apis[] = {
    {EDDY_KAFKA_API_Produce, 0, 11, eddy_handle_Produce},
    {EDDY_KAFKA_API_Fetch, 0, 16, eddy_handle_Fetch},
    {EDDY_KAFKA_API_ListOffsets, 0, 8, eddy_handle_ListOffsets},
    {EDDY_KAFKA_API_Metadata, 0, 12, eddy_handle_Metadata},
    {EDDY_KAFKA_API_FindCoordinator, 0, 4, eddy_handle_FindCoordinator},
    {EDDY_KAFKA_API_ApiVersions, 0, 3, eddy_handle_ApiVersions},
    {EDDY_KAFKA_API_CreateTopics, 0, 7, eddy_handle_CreateTopics},
    {EDDY_KAFKA_API_DeleteTopics, 0, 6, eddy_handle_DeleteTopics},
    {EDDY_KAFKA_API_InitProducerId, 0, 4, eddy_handle_InitProducerId},
    {EDDY_KAFKA_API_DescribeConfigs, 0, 4, eddy_handle_DescribeConfigs},
    {EDDY_KAFKA_API_AlterConfigs, 0, 2, eddy_handle_AlterConfigs},
    {EDDY_KAFKA_API_IncrementalAlterConfigs, 0, 1, eddy_handle_IncrementalAlterConfigs},
    /* Consumer groups (group_api.c). */
    {EDDY_KAFKA_API_OffsetCommit, 0, 9, eddy_handle_OffsetCommit},
    {EDDY_KAFKA_API_OffsetFetch, 0, 9, eddy_handle_OffsetFetch},
    {EDDY_KAFKA_API_JoinGroup, 0, 9, eddy_handle_JoinGroup},
    {EDDY_KAFKA_API_Heartbeat, 0, 4, eddy_handle_Heartbeat},
    {EDDY_KAFKA_API_LeaveGroup, 0, 5, eddy_handle_LeaveGroup},
    {EDDY_KAFKA_API_SyncGroup, 0, 5, eddy_handle_SyncGroup},
    {EDDY_KAFKA_API_DescribeGroups, 0, 5, eddy_handle_DescribeGroups},
    {EDDY_KAFKA_API_ListGroups, 0, 5, eddy_handle_ListGroups},
    {EDDY_KAFKA_API_DeleteGroups, 0, 2, eddy_handle_DeleteGroups},
};

const size_t eddy_hub_napis = sizeof eddy_hub_apis / sizeof eddy_hub_apis[0];

static const eddy_hub_api *find_api(int16_t key)
{
    for (size_t i = 0; i < eddy_hub_napis; i++) {
        if (eddy_hub_apis[i].key == key) {
            return &eddy_hub_apis[i];
        }
    }
    return NULL;
}

void eddy_hub_dispatch(eddy_conn *conn, const uint8_t *frame, size_t len)
{
    eddy_reader r;
    eddy_reader_init(&r, frame, len);
    conn->api_key = eddy_reader_i16(&r);
    conn->api_version = eddy_reader_i16(&r);
    conn->correlation_id = eddy_reader_i32(&r);
    if (r.err) {
        eddy_conn_close(conn, "truncated request header");
        return;
    }
    const eddy_hub_api *api = find_api(conn->api_key);
    if (conn->api_key == EDDY_KAFKA_API_ApiVersions && conn->api_version > api->max) {
        eddy_handle_ApiVersions_unsupported(conn);
        return;
    }
    if (!api || conn->api_version < 0 || conn->api_version > api->max) {
        char why[96];
        snprintf(why, sizeof why, "unsupported api_key=%d version=%d", conn->api_key,
                 conn->api_version);
        eddy_conn_close(conn, why);
        return;
    }
    /* Full header (client id, tagged fields) for the version in use. */
    eddy_reader_init(&r, frame, len);
    eddy_kafka_request_header hdr;
    if (eddy_kafka_request_header_decode(&r, &hdr) != 0) {
        eddy_conn_close(conn, "malformed request header");
        return;
    }
    eddy_hub_req req = {.conn = conn, .hdr = hdr, .body = r, .api = api};
    api->handle(&req);
}
