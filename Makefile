# The front door: every developer and CI command starts here.
.PHONY: dev test build bench stack-up stack-down lint

## Start the whole stack natively and serve the app at http://localhost:8080
dev:
	bash infra/scripts/dev.sh

## Install what is missing, start the test stack, run every test
test:
	bash infra/scripts/test.sh

## Release build of every function binary (cross-building for Lambda is `make build-lambda`)
build:
	cargo build --release --workspace --locked
	@ls -l target/release/create-room target/release/join-room target/release/token \
	  target/release/send-chat target/release/list-chat target/release/livekit-webhook | awk '{print $$5, $$9}'

stack-up:
	bash infra/scripts/stack.sh up

stack-down:
	bash infra/scripts/stack.sh down
	MEET_PROFILE=test bash infra/scripts/stack.sh down

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
