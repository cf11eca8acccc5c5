#!/usr/bin/env bash
# `make deploy`: builds with SAM (cargo-lambda, arm64), deploys the stack (guided the first
# time, which writes samconfig.toml), then uploads the web app and refreshes CloudFront.
# Needs the AWS CLI and SAM CLI with credentials; see infra/OPERATIONS.md for what to create first.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in aws sam; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed; see infra/OPERATIONS.md" >&2; exit 1; }
done
sam build --beta-features
if [ -f samconfig.toml ]; then sam deploy; else sam deploy --guided; fi

output() {
  aws cloudformation describe-stacks --stack-name "$(sed -n 's/^stack_name = "\(.*\)"/\1/p' samconfig.toml | head -1)" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
bash infra/scripts/build-web.sh
aws s3 sync web/dist "s3://$(output WebBucket)" --delete
aws cloudfront create-invalidation --distribution-id "$(output WebDistributionId)" --paths '/*' >/dev/null
echo "app: $(output WebUrl)   API: $(output ApiUrl)   LiveKit webhook: $(output LiveKitWebhookUrl)"
