//! The local server, the function binaries and `template.yaml` must agree on every route
//! and every environment variable.

use common::config::{SECRET_VARIABLES, VARIABLES, ssm_variable};
use common::http::{Function, endpoints};
use common::runtime::RUNTIME_VARIABLES;
use std::collections::BTreeSet;

/// (function binary, method, path) for every HttpApi event in the template. The template's
/// layout is ours, so a line scan is enough: each function names its `Binary:` before its events.
fn template() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../template.yaml")).expect("template.yaml")
}

fn template_routes() -> BTreeSet<(String, String, String)> {
    let template = template();
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

/// The crates under `functions/` are the one list of functions: each must be a `Function`.
#[test]
fn every_function_crate_is_a_function() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut crates: Vec<String> = std::fs::read_dir(dir)
        .expect("functions/")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !matches!(name.as_str(), "common" | "local-server"))
        .collect();
    crates.sort();
    let mut known: Vec<String> = Function::ALL.iter().map(|f| f.name().to_owned()).collect();
    known.sort();
    assert_eq!(crates, known);
}

/// `sam build` and `cargo lambda watch` build a function on its own, from the workspace's
/// default members: those must be the functions exactly, or a function would be built with
/// the local server's share of the shared crate (or not at all).
#[test]
fn the_workspace_default_members_are_the_functions() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml")).unwrap();
    let list = manifest.split("default-members = [").nth(1).and_then(|rest| rest.split(']').next());
    let mut members: Vec<String> = list
        .expect("default-members in Cargo.toml")
        .split('"')
        .filter_map(|part| part.strip_prefix("functions/"))
        .map(str::to_owned)
        .collect();
    members.sort();
    let mut functions: Vec<String> = Function::ALL.iter().map(|f| f.name().to_owned()).collect();
    functions.sort();
    assert_eq!(members, functions);
}

/// Names set under any `Variables:` block of the template.
fn template_variables() -> BTreeSet<String> {
    let template = template();
    let mut names = BTreeSet::new();
    let mut block_indent = None;
    for line in template.lines() {
        let indent = line.len() - line.trim_start().len();
        match block_indent {
            Some(outer) if indent > outer && !line.trim().is_empty() => {
                names.insert(line.trim().split(':').next().unwrap().to_owned());
            }
            _ => block_indent = None,
        }
        if line.trim() == "Variables:" {
            block_indent = Some(indent);
        }
    }
    names
}

#[test]
fn the_template_sets_only_variables_the_functions_read_and_no_plain_secrets() {
    let names = template_variables();
    assert!(names.len() >= 6, "{names:?}");
    for name in &names {
        let known = VARIABLES.contains(&name.as_str())
            || RUNTIME_VARIABLES.contains(&name.as_str())
            || SECRET_VARIABLES.iter().any(|secret| ssm_variable(secret) == *name);
        assert!(known, "template sets {name}, which nothing reads");
    }
    for secret in SECRET_VARIABLES {
        assert!(!names.contains(secret), "{secret} must come from SSM, not the template");
    }
    let has = |name: &str| names.contains(name) || names.contains(&ssm_variable(name));
    for required in
        ["REDIS_URL", "LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "PUBLIC_BASE_URL", "DYNAMODB_TABLE"]
    {
        assert!(has(required), "template lacks {required}");
    }
}

fn repository_file(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../../{name}", env!("CARGO_MANIFEST_DIR"))).expect(name)
}

/// `.env.example` and the compose file's backend are where people copy settings from:
/// a misspelt name there would be silently ignored by the functions.
#[test]
fn the_example_env_file_and_the_compose_backend_name_only_variables_the_functions_read() {
    let known =
        |name: &str| VARIABLES.contains(&name) || SECRET_VARIABLES.iter().any(|secret| ssm_variable(secret) == name);
    let example = repository_file(".env.example");
    let example_names: Vec<&str> = example
        .lines()
        .map(|line| line.trim_start_matches("# ").trim())
        .filter_map(|line| line.split_once('=').map(|(name, _)| name))
        .filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .collect();
    assert!(example_names.len() >= 20, "{example_names:?}");
    for name in example_names {
        assert!(known(name), ".env.example sets {name}, which nothing reads");
    }
    for variable in VARIABLES.iter().chain(SECRET_VARIABLES.iter()) {
        assert!(example.contains(&format!("{variable}=")), ".env.example does not mention {variable}");
    }

    let compose = repository_file("docker-compose.yml");
    let backend = compose.split("\n  backend:\n").nth(1).expect("a backend service");
    let environment = backend.split("environment:\n").nth(1).expect("its environment");
    let names: Vec<&str> = environment
        .lines()
        .take_while(|line| line.starts_with("      "))
        .map(|line| line.trim().split(':').next().unwrap())
        .collect();
    assert!(names.len() >= 6, "{names:?}");
    for name in names {
        assert!(known(name), "docker-compose.yml sets {name}, which nothing reads");
    }
}

/// The template's text for each function: from its `Binary:` line to the next one.
fn function_blocks() -> Vec<(String, String)> {
    let template = template();
    // What comes before the first `Binary:` is the template's head, not a function.
    let functions = template.split("        Binary: ").skip(1);
    functions
        .map(|piece| {
            let (name, body) = piece.split_once('\n').expect("a Binary: line");
            (name.trim().to_owned(), body.to_owned())
        })
        .collect()
}

/// A function that never mints tokens nor calls LiveKit cannot leak the LiveKit secret:
/// it is neither given the parameter's name nor allowed to read it.
#[test]
fn only_the_functions_that_use_livekit_can_read_its_secret() {
    let globals = template().split("\nResources:").next().unwrap().to_owned();
    assert!(!globals.contains("LIVEKIT_API_SECRET"), "the LiveKit secret is not a global");
    let blocks = function_blocks();
    assert_eq!(blocks.len(), Function::ALL.len());
    for function in Function::ALL {
        let (_, body) = blocks.iter().find(|(name, _)| name == function.name()).expect("a block per function");
        let named = body.contains("LIVEKIT_API_SECRET_SSM_PARAMETER: !Ref LiveKitApiSecretParameter");
        let readable = body.contains("parameter${LiveKitApiSecretParameter}");
        assert_eq!(named, function.uses_livekit_secret(), "{}: secret's name", function.name());
        assert_eq!(readable, function.uses_livekit_secret(), "{}: permission to read it", function.name());
    }
}
