//! The contract is one thing: `openapi.yaml` is what the code generates (from the handlers'
//! annotations and the body types in `src/api/`), and it names exactly the routes the
//! router serves, each tagged with the function that serves it. Renaming a field in Rust
//! fails here until `make openapi` has written the spec and the web app's types again.

use common::http::endpoints;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi.yaml")
}

fn generated() -> String {
    let header = "# Generated from the Rust types and handlers by `make openapi`; do not edit by hand.\n";
    format!("{header}{}", common::api::document().to_yaml().expect("the document serialises to YAML"))
}

#[test]
fn the_committed_openapi_yaml_is_the_one_the_code_generates() {
    let generated = generated();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(committed_path(), &generated).expect("openapi.yaml is writable");
        return;
    }
    let committed = std::fs::read_to_string(committed_path()).expect("openapi.yaml is committed");
    assert!(
        committed == generated,
        "openapi.yaml is not what the code generates; run `make openapi` and commit the result.\n{}",
        first_difference(&committed, &generated)
    );
}

fn first_difference(committed: &str, generated: &str) -> String {
    let lines = committed.lines().zip(generated.lines()).enumerate();
    match lines.clone().find(|(_, (a, b))| a != b) {
        Some((n, (a, b))) => format!("line {}: committed `{a}`, generated `{b}`", n + 1),
        None => format!("lengths differ: {} and {} lines", committed.lines().count(), generated.lines().count()),
    }
}

#[test]
fn the_spec_and_the_router_name_the_same_routes_each_with_its_function() {
    let document = serde_json::to_value(common::api::document()).unwrap();
    let mut in_spec = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let tags = operation["tags"].as_array().map(|tags| tags.iter().filter_map(|t| t.as_str()).collect());
            in_spec.insert((method.to_uppercase(), path.clone(), tags.unwrap_or_else(Vec::new).join(",")));
        }
    }
    let served: BTreeSet<_> =
        endpoints().iter().map(|e| (e.method.to_owned(), e.path.to_owned(), e.function.name().to_owned())).collect();
    let missing_from_spec: Vec<_> = served.difference(&in_spec).collect();
    let not_served: Vec<_> = in_spec.difference(&served).collect();
    assert!(
        missing_from_spec.is_empty() && not_served.is_empty(),
        "served but not in the spec (or tagged with another function): {missing_from_spec:?}\n\
         in the spec but not served so: {not_served:?}"
    );
}
