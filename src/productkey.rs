//! Product keys: how they are shown.
//!
//! A full key is private: every output shows it masked to its last group, the part Windows itself
//! shows, unless the user asks to reveal it. This module owns that rule so no renderer has its own.

/// `XXXXX-XXXXX-XXXXX-XXXXX-GPDD4` for a full key; anything shorter than a group is masked whole.
pub fn mask(key: &str) -> String {
    let key = key.trim();
    let last: String = key
        .chars()
        .rev()
        .take_while(|c| *c != '-')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if key.contains('-') && last.chars().count() == 5 {
        format!("XXXXX-XXXXX-XXXXX-XXXXX-{last}")
    } else {
        "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX".to_string()
    }
}

/// The inventory as it may be shown: the full product key masked unless `reveal`.
pub fn redact(
    inventory: &crate::inventory::Inventory,
    reveal: bool,
) -> std::borrow::Cow<'_, crate::inventory::Inventory> {
    let has_key = inventory
        .license
        .as_ref()
        .is_some_and(|l| l.product_key.is_some());
    if reveal || !has_key {
        return std::borrow::Cow::Borrowed(inventory);
    }
    let mut shown = inventory.clone();
    if let Some(license) = shown.license.as_mut() {
        license.product_key = license.product_key.as_deref().map(mask);
    }
    std::borrow::Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_the_last_group() {
        assert_eq!(
            mask("FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4"),
            "XXXXX-XXXXX-XXXXX-XXXXX-GPDD4"
        );
        assert_eq!(mask("garbage"), "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX");
        assert_eq!(mask(""), "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX");
    }
}
