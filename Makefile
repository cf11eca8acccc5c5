# The front door: every developer, operator and CI command starts here.
.PHONY: dev test build test-build deploy bench web openapi stack-up stack-down lint

## Start the whole stack natively and serve the app at http://localhost:8080
dev:
	bash infra/scripts/dev.sh

## Install what is missing, start the test stack, run every test
test:
	bash infra/scripts/test.sh

## Build every function for Lambda as `make deploy` does (`sam build`: arm64, provided.al2023) and report each bootstrap's size
build:
	bash infra/scripts/build-lambdas.sh

## The same build, as a check (CI runs it before `make test`)
test-build: build

## Build and deploy the stack with AWS SAM, then upload the web app (see infra/OPERATIONS.md)
deploy:
	bash infra/scripts/deploy.sh

## Measurements: cold start, load per endpoint with its dependency's raw rate and a Node peer; writes docs/capacity.md
bench:
	bash infra/scripts/bench.sh

## Write openapi.yaml from the Rust types and handlers, then the web app's types from it (commit both)
openapi:
	UPDATE_OPENAPI=1 cargo test --locked -p common --test api openapi::
	bash infra/scripts/build-web.sh install
	cd web && UPDATE_OPENAPI=1 npx vitest run src/api.gen.test.ts

## Build the web app into web/dist
web:
	bash infra/scripts/build-web.sh

stack-up:
	bash infra/scripts/stack.sh up

stack-down:
	bash infra/scripts/stack.sh down
	MEET_PROFILE=test bash infra/scripts/stack.sh down

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy --locked -- -D warnings
