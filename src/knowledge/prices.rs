//! The editable price table (`rules/data/prices.yaml`): estimated US dollar prices, each with its
//! source and as-of date, that rule fixes name by id.
//!
//! Every price is an estimate and is always shown with its source. A `--rules DIR` may hold its
//! own `data/prices.yaml` whose entries replace the shipped ones by id. This module only holds
//! prices; which one applies to a machine is the rule packs' decision.

use crate::error::{Error, Origin, Result};
use crate::vocab::Price;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::OnceLock;

/// An item deliberately left without a price, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeftOut {
    pub item: String,
    pub why: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prices {
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub prices: Vec<Price>,
    #[serde(default)]
    pub left_out: Vec<LeftOut>,
}

impl Prices {
    pub fn parse(text: &str, origin: &Origin) -> Result<Prices> {
        let prices: Prices = crate::knowledge::parse_data(text, origin)?;
        if let Some(currency) = prices.currency.as_deref().filter(|c| *c != "USD") {
            return Err(Error::DataSyntax {
                origin: origin.clone(),
                location: None,
                message: format!("prices are in USD, not `{currency}`"),
            });
        }
        for price in &prices.prices {
            if !(price.usd.is_finite() && price.usd >= 0.0) {
                return Err(Error::DataSyntax {
                    origin: origin.clone(),
                    location: None,
                    message: format!("`{}` has no usable price", price.id),
                });
            }
        }
        Ok(prices)
    }

    /// The table shipped with w7plan.
    pub fn embedded() -> &'static Prices {
        static PRICES: OnceLock<Prices> = OnceLock::new();
        PRICES.get_or_init(|| {
            let text = crate::knowledge::embedded_data("prices.yaml")
                .expect("rules/data/prices.yaml is embedded");
            // A test parses the shipped file, so this only fires on a broken build.
            Prices::parse(text, &Origin("rules/data/prices.yaml (built in)".into()))
                .unwrap_or_else(|e| panic!("the built-in price table is broken: {e}"))
        })
    }

    /// The shipped table with `DIR/data/prices.yaml` laid over it, when that file exists.
    pub fn load(user_dir: Option<&Path>) -> Result<Prices> {
        let mut prices = Prices::embedded().clone();
        let Some(path) = user_dir.map(|d| d.join("data").join("prices.yaml")) else {
            return Ok(prices);
        };
        if !path.is_file() {
            return Ok(prices);
        }
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let user = Prices::parse(&text, &Origin::path(&path))?;
        for price in user.prices {
            match prices.prices.iter_mut().find(|p| p.id == price.id) {
                Some(existing) => *existing = price,
                None => prices.prices.push(price),
            }
        }
        prices.left_out.extend(user.left_out);
        Ok(prices)
    }

    pub fn get(&self, id: &str) -> Option<&Price> {
        self.prices.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_parses_and_a_user_table_overrides_it() {
        let shipped = Prices::embedded();
        assert_eq!(shipped.get("windows11-pro").unwrap().usd, 199.99);
        assert!(shipped
            .prices
            .iter()
            .all(|p| p.estimate && p.source.as_of.is_some()));
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::fs::write(
            dir.path().join("data/prices.yaml"),
            "prices:\n  - {id: windows11-pro, item: Pro via our reseller, usd: 150, confidence: quote, source: {title: Quote 42, url: 'https://example.org/q42', as_of: '2026-11-01'}}\n",
        )
        .unwrap();
        let mine = Prices::load(Some(dir.path())).unwrap();
        assert_eq!(mine.get("windows11-pro").unwrap().usd, 150.0);
        assert_eq!(mine.get("windows11-home").unwrap().usd, 139.0);
        std::fs::write(dir.path().join("data/prices.yaml"), "currency: EUR\n").unwrap();
        assert_eq!(
            Prices::load(Some(dir.path())).unwrap_err().code(),
            "data-syntax"
        );
    }
}
