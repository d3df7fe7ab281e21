//! The CLI cases in tests/cmd/*.toml, one invocation each: arguments, exit code and the exact
//! stdout and stderr (`...` and `[..]` stand for lines and text a case does not pin). They run
//! from the repository's root (`fs.cwd`), so every path in them is relative.
//!
//! After a deliberate change of output: `TRYCMD=overwrite cargo test --test cli_cases`, then
//! review the diff. Runs that need logic (JSON read back, files written, loops over formats)
//! stay in tests/cli.rs.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
