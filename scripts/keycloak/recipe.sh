#!/usr/bin/env bash
# The Keycloak recipe of README "Sign-in through the city's identity provider", as the city's IT operator runs it with
# Keycloak's admin CLI (kcadm.sh, in the distribution's bin/): a realm, the user profile's role/dept/subject_id, a
# client scope `credit` whose mappers put them (and the API's audience) into the tokens, the console's client, a
# department system's client for the client-credentials grant, and two users. `npm run test:keycloak` runs this very
# file against a Keycloak from Maven Central and then signs in through it.
#
#   KC_URL                  Keycloak's base URL, e.g. https://id.zhangye.gov.cn
#   KC_ADMIN_USER/PASSWORD  an administrator of the master realm
#   CONSOLE_URL             the console's origin, e.g. https://credit.zhangye.gov.cn
#   CONSOLE_CLIENT_SECRET   the console client's secret (OIDC_CLIENT_SECRET)
#   SYSTEM_CLIENT_SECRET    the department system's client secret
#   USER_PASSWORD           the sample users' password
#   REALM                   the realm (zhangye); the issuer is $KC_URL/realms/$REALM
#   KCADM, KCADM_CONFIG     the admin CLI and where it keeps its session
set -euo pipefail
: "${KC_URL:?}" "${KC_ADMIN_PASSWORD:?}" "${CONSOLE_URL:?}" "${CONSOLE_CLIENT_SECRET:?}" "${SYSTEM_CLIENT_SECRET:?}" "${USER_PASSWORD:?}"
REALM=${REALM:-zhangye}
KCADM=${KCADM:-kcadm.sh}
kc() { "$KCADM" "$@" --config "${KCADM_CONFIG:-$HOME/.keycloak/kcadm.config}"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The admin CLI's session.
kc config credentials --server "$KC_URL" --realm master --user "${KC_ADMIN_USER:-admin}" --password "$KC_ADMIN_PASSWORD"

# 2. The realm. Its issuer, $KC_URL/realms/$REALM, is OIDC_ISSUER and API_TOKEN_ISSUER.
kc create realms -s realm="$REALM" -s enabled=true -s displayName='张掖市统一身份认证'

# 3. The user profile (Keycloak 24+ keeps no attribute it does not declare): role, dept and subject_id, which only an
#    administrator sees and sets (a user must not give themselves a role). A Chinese name goes whole into firstName, so
#    lastName is not required; the `name` claim is then just the name (Keycloak joins firstName and lastName).
kc get users/profile -r "$REALM" > "$work/profile.json"
jq '
  def adminOnly($name; $display): { name: $name, displayName: $display, multivalued: false,
    permissions: { view: ["admin"], edit: ["admin"] } };
  .attributes |= map(if .name == "lastName" then del(.required) else . end)
  | .attributes += [
      (adminOnly("role"; "信用系统角色") + { validations: { options: { options: ["officer", "supervisor", "subject"] } } }),
      adminOnly("dept"; "部门代码"),
      adminOnly("subject_id"; "信用主体代码或身份证号码")
    ]' "$work/profile.json" > "$work/profile.new.json"
kc update users/profile -r "$REALM" -f "$work/profile.new.json"

# 4. The client scope `credit`, which the console asks for (OIDC_SCOPE="openid profile credit") and the department
#    systems get by default: role, dept and subject_id as claims of the ID token, the access token and userinfo, and
#    the API's audience `credit-api` (API_TOKEN_AUDIENCE) in the access token.
scope=$(kc create client-scopes -r "$REALM" -s name=credit -s protocol=openid-connect \
  -s 'attributes."include.in.token.scope"=true' -s 'attributes."display.on.consent.screen"=false' -i)
for attribute in role dept subject_id; do
  kc create "client-scopes/$scope/protocol-mappers/models" -r "$REALM" -s name="$attribute" -s protocol=openid-connect \
    -s protocolMapper=oidc-usermodel-attribute-mapper -s "config.\"user.attribute\"=$attribute" \
    -s "config.\"claim.name\"=$attribute" -s 'config."jsonType.label"=String' -s 'config."id.token.claim"=true' \
    -s 'config."access.token.claim"=true' -s 'config."userinfo.token.claim"=true' \
    -s 'config."introspection.token.claim"=true'
done
kc create "client-scopes/$scope/protocol-mappers/models" -r "$REALM" -s name=credit-api-audience -s protocol=openid-connect \
  -s protocolMapper=oidc-audience-mapper -s 'config."included.custom.audience"=credit-api' \
  -s 'config."access.token.claim"=true' -s 'config."id.token.claim"=false' -s 'config."introspection.token.claim"=true'

# 5. The console's client: the authorisation code flow with PKCE (S256), its callback (OIDC_REDIRECT_URI) and where
#    signing out at Keycloak returns to (the console's sign-in page); `credit` as an optional scope it asks for.
console=$(kc create clients -r "$REALM" -s clientId=credit-console -s name='社会信用案件办理系统' -s protocol=openid-connect \
  -s publicClient=false -s secret="$CONSOLE_CLIENT_SECRET" -s standardFlowEnabled=true -s directAccessGrantsEnabled=false \
  -s "redirectUris=[\"$CONSOLE_URL/console/oidc/callback\"]" \
  -s "attributes.\"post.logout.redirect.uris\"=$CONSOLE_URL/console/sign-in" \
  -s 'attributes."pkce.code.challenge.method"=S256' -i)
kc update "clients/$console/optional-client-scopes/$scope" -r "$REALM"

# 6. A department's system calling the API with the client-credentials grant: its service account carries the role
#    and department like a person, and gets the `credit` scope by default.
system=$(kc create clients -r "$REALM" -s clientId=samr-system -s name='市场监管局业务系统' -s protocol=openid-connect \
  -s publicClient=false -s secret="$SYSTEM_CLIENT_SECRET" -s serviceAccountsEnabled=true -s standardFlowEnabled=false \
  -s directAccessGrantsEnabled=false -i)
kc update "clients/$system/default-client-scopes/$scope" -r "$REALM"
account=$(kc get "clients/$system/service-account-user" -r "$REALM" --fields id --format csv --noquotes)
kc update "users/$account" -r "$REALM" -s firstName='市场监管局业务系统' \
  -s 'attributes.role=["officer"]' -s 'attributes.dept=["ZY-SAMR"]'

# 7. An officer of the market regulator, and an account the credit system gives no role.
kc create users -r "$REALM" -s username=wang.xiaoming -s firstName='王晓明' -s email=wang.xiaoming@zhangye.example \
  -s emailVerified=true -s enabled=true -s 'attributes.role=["officer"]' -s 'attributes.dept=["ZY-SAMR"]'
kc set-password -r "$REALM" --username wang.xiaoming --new-password "$USER_PASSWORD"
kc create users -r "$REALM" -s username=visitor -s firstName='访客' -s email=visitor@zhangye.example -s emailVerified=true \
  -s enabled=true
kc set-password -r "$REALM" --username visitor --new-password "$USER_PASSWORD"
