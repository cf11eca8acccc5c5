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
# Unattended (CI): STACK_NAME, and the template's parameters as `Key=Value` pairs in
# SAM_PARAMETERS. By hand: samconfig.toml, written by the first, guided, deploy.
if [ -n "${STACK_NAME:-}" ]; then
  read -ra parameters <<< "${SAM_PARAMETERS:?}" # Key=Value pairs, one word each, never globbed
  sam deploy --stack-name "$STACK_NAME" --resolve-s3 --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND \
    --no-confirm-changeset --no-fail-on-empty-changeset --parameter-overrides "${parameters[@]}"
elif [ -f samconfig.toml ]; then
  sam deploy
else
  sam deploy --guided
fi
stack=${STACK_NAME:-$(sed -n 's/^stack_name = "\(.*\)"/\1/p' samconfig.toml | head -1)}

output() {
  aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
bash infra/scripts/build-web.sh
aws s3 sync web/dist "s3://$(output WebBucket)" --delete
aws cloudfront create-invalidation --distribution-id "$(output WebDistributionId)" --paths '/*' >/dev/null
# The smoke test: the deployed API answers through the app's own address, as browsers reach it.
curl -fsS --retry 5 --retry-all-errors --max-time 10 "$(output WebUrl)/api/health" && echo
echo "app: $(output WebUrl)   API: $(output ApiUrl)   LiveKit webhook: $(output LiveKitWebhookUrl)"
