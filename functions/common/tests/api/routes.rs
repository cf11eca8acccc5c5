//! The local server, the function binaries and `template.yaml` must agree on every route.

use common::http::{Function, endpoints};
use std::collections::BTreeSet;

/// (function binary, method, path) for every HttpApi event in the template. The template's
/// layout is ours, so a line scan is enough: each function names its `Binary:` before its events.
fn template_routes() -> BTreeSet<(String, String, String)> {
    let template = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../template.yaml")).expect("template.yaml");
    let mut routes = BTreeSet::new();
    let (mut binary, mut path) = (None::<String>, None::<String>);
    for line in template.lines().map(str::trim) {
        if let Some(b) = line.strip_prefix("Binary: ") {
            binary = Some(b.trim().to_owned());
        } else if let Some(p) = line.strip_prefix("Path: ") {
            path = Some(p.trim().to_owned());
        } else if let Some(m) = line.strip_prefix("Method: ") {
            let function = binary.clone().expect("a Method: before any Binary:");
            routes.insert((function, m.trim().to_uppercase(), path.take().expect("a Method: without its Path:")));
        }
    }
    routes
}

#[test]
fn the_template_routes_are_exactly_the_routes_the_functions_serve() {
    let served: BTreeSet<_> =
        endpoints().iter().map(|e| (e.function.name().to_owned(), e.method.to_owned(), e.path.to_owned())).collect();
    assert_eq!(template_routes(), served);
}

#[test]
fn every_function_has_a_crate() {
    for function in Function::ALL {
        let manifest = format!("{}/../{}/Cargo.toml", env!("CARGO_MANIFEST_DIR"), function.name());
        let text = std::fs::read_to_string(&manifest).unwrap_or_else(|_| panic!("{manifest} is missing"));
        assert!(text.contains(&format!("name = \"{}\"", function.name())), "{manifest}");
    }
}
