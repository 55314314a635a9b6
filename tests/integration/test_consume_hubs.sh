#!/usr/bin/env bash
# eddy hubs create/list/describe/delete through the Kafka admin API, against
# a hub that does not auto-create; eddy produce into a missing hub fails
# with a clear message.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"
start_hub --auto-create off
B=127.0.0.1:$HUB_PORT

run_status "$EDDY" hubs list --bootstrap "$B"
expect_eq "list on an empty hub exits 0" "0 HUB  PARTITIONS" "$STATUS $OUT"
run_status "$EDDY" hubs create orders --partitions 3 --bootstrap "$B"
expect_eq "create exits 0" 0 "$STATUS"
expect_contains "create says so" "created hub orders with 3 partitions" "$OUT"
run_status "$EDDY" hubs create orders --partitions 3 --bootstrap "$B"
expect_eq "creating it again exits 1" 1 "$STATUS"
expect_contains "creating it again says why" "already exists" "$ERR"
run_status "$EDDY" hubs create orders --if-not-exists --bootstrap "$B"
expect_eq "--if-not-exists exits 0" 0 "$STATUS"
run_status "$EDDY" hubs create audit --bootstrap "$B"
expect_eq "create with the service's default partitions (the hub's 4)" 0 "$STATUS"
run_status "$EDDY" hubs list --bootstrap "$B"
expect_eq "list shows both, sorted" "$(printf 'HUB     PARTITIONS\naudit   4\norders  3')" "$OUT"

run_client "eddy produce 300 events" "$EDDY" produce --hub orders --bootstrap "$B" --count 300 -q
run_status "$EDDY" hubs describe orders --bootstrap "$B"
echo "$OUT"
expect_eq "describe exits 0" 0 "$STATUS"
expect_contains "describe counts the events" "events: 300" "$OUT"
expect_eq "describe lists three partitions" 3 "$(printf '%s\n' "$OUT" | grep -c '^[0-9]')"
run_status "$EDDY" hubs describe nosuch --bootstrap "$B"
expect_eq "describe of a missing hub exits 1" 1 "$STATUS"
expect_contains "and names it" "event hub 'nosuch' does not exist" "$ERR"
run_status "$EDDY" hubs list --bootstrap "$B"
expect_eq "describe did not create it" "" "$(printf '%s\n' "$OUT" | grep nosuch || true)"

run_status "$EDDY" produce --hub missing --bootstrap "$B" --count 5
expect_eq "produce into a missing hub exits 1" 1 "$STATUS"
expect_contains "and says how to create it" "eddy hubs create missing" "$ERR"

run_status "$EDDY" hubs delete orders --bootstrap "$B"
expect_eq "delete exits 0" "0 deleted hub orders" "$STATUS $OUT"
run_status "$EDDY" hubs delete orders --bootstrap "$B"
expect_eq "deleting it again exits 1" 1 "$STATUS"
expect_contains "deleting it again says why" "no such hub" "$ERR"
run_status "$EDDY" hubs delete orders --if-exists --bootstrap "$B"
expect_eq "--if-exists exits 0" 0 "$STATUS"
run_status "$EDDY" hubs list --bootstrap "$B"
expect_eq "list after delete" "$(printf 'HUB    PARTITIONS\naudit  4')" "$OUT"

run_status "$EDDY" hubs --bootstrap "$B"
expect_eq "no action exits 2" 2 "$STATUS"
run_status "$EDDY" hubs frob --bootstrap "$B"
expect_eq "unknown action exits 2" 2 "$STATUS"
run_status "$EDDY" hubs create --bootstrap "$B"
expect_eq "create without a name exits 2" 2 "$STATUS"
run_status "$EDDY" hubs create x --partitions 0 --bootstrap "$B"
expect_eq "--partitions 0 exits 2" 2 "$STATUS"
run_status "$EDDY" hubs list --partitions 3 --bootstrap "$B"
expect_eq "--partitions on list exits 2" 2 "$STATUS"

hub_no_errors
finish
