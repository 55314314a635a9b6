# A thin wrapper over ./run (which wraps cmake presets and ctest).
.PHONY: all demo test test-asan bench fuzz format format-check
all:
	./run test
demo:
	./run demo
test:
	./run test
test-asan:
	./run test-asan
bench:
	./run bench
fuzz:
	./run fuzz
format:
	./run format
format-check:
	./run format-check
