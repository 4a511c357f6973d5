//! Reading the TOML rule files (`ruleset.toml`, `parameters.toml`, `tests/*.toml`) into
//! their Rust types through one small serde deserializer over toml's spanned tree.
//!
//! Why not `toml::from_str::<T>`: toml's own deserializer is compiled again for every type
//! it reads, with several map-access paths (tables, inline tables, datetimes, spans) that
//! each struct's visitor is compiled for. This one has a single path for tables, arrays and
//! values; in the WebAssembly module that is about 25 KB gzip smaller. It gives the same
//! values and the same error messages at the same places: an error inside a value points at
//! that value, an unknown key at the key, a missing field at its table. Bare TOML dates
//! reach types as toml's own datetime marker (a one-entry table), exactly as
//! `toml::from_str` gives them, so [`crate::value`]'s date helpers work unchanged. Unlike
//! toml it does not read integers beyond 64 bits, or enums written as tables.

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The key toml uses to carry a datetime through serde (see `toml_datetime`).
const DATETIME_KEY: &str = "$__toml_private_datetime";

/// Parse a TOML document into `T`. Errors are toml's own error type, with the span of the
/// value, key or table the problem is in.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, toml::de::Error> {
    let root = DeTable::parse(text)?;
    let root = Spanned::new(root.span(), DeValue::Table(root.into_inner()));
    T::deserialize(Value(&root)).map_err(|e| e.into_toml(text))
}

/// An error with the byte range of the TOML it is about, once known.
#[derive(Debug)]
struct Error {
    message: String,
    span: Option<Range<usize>>,
}

impl Error {
    fn at(mut self, span: &Range<usize>) -> Self {
        if self.span.is_none() {
            self.span = Some(span.clone());
        }
        self
    }

    /// toml's error type has no public constructor that takes a span, so have toml raise
    /// the message while it reads a placeholder value at that span: toml then records it.
    fn into_toml(self, text: &str) -> toml::de::Error {
        struct Raise(String);
        impl<'de> Visitor<'de> for Raise {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("nothing")
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
                Err(E::custom(self.0))
            }
        }
        let placeholder = Spanned::new(self.span.unwrap_or(0..0), DeValue::Boolean(false));
        let raised = de::Deserializer::deserialize_any(
            toml::de::ValueDeserializer::from(placeholder),
            Raise(self.message.clone()),
        );
        let mut e = raised
            .err()
            .unwrap_or_else(|| <toml::de::Error as de::Error>::custom(self.message));
        e.set_input(Some(text));
        e
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            message: msg.to_string(),
            span: None,
        }
    }
}

/// A table's entries, in toml's order (sorted by key, as `toml::from_str` reads them).
struct Entries<'a> {
    iter: toml::map::Iter<'a, Spanned<Cow<'a, str>>, Spanned<DeValue<'a>>>,
    value: Option<&'a Spanned<DeValue<'a>>>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let key_span = key.span();
        let k: &str = key.get_ref();
        seed.deserialize(k.into_deserializer())
            .map(Some)
            .map_err(|e: Error| e.at(&key_span))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Value(value)),
            // serde asks for a value only after a key; say so rather than panic if not.
            None => Err(de::Error::custom("a table value was read before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// An array's items.
struct Items<'a> {
    iter: std::slice::Iter<'a, Spanned<DeValue<'a>>>,
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        match self.iter.next() {
            Some(item) => seed.deserialize(Value(item)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// A value as serde sees it. Working this out is kept out of the generic code below,
/// which is compiled again for every type read.
enum Scalar<'a> {
    Str(&'a str),
    I64(i64),
    U64(u64),
    F64(f64),
    Bool(bool),
    Array(&'a [Spanned<DeValue<'a>>]),
    /// A table, or a bare date or time as the one-entry table toml presents it as.
    Table(Cow<'a, DeTable<'a>>),
}

#[inline(never)]
fn scalar<'a>(v: &'a Spanned<DeValue<'a>>) -> Result<Scalar<'a>, Error> {
    Ok(match v.get_ref() {
        DeValue::String(s) => Scalar::Str(s),
        DeValue::Integer(n) => {
            let (digits, radix) = (n.as_str(), n.radix());
            if let Ok(v) = i64::from_str_radix(digits, radix) {
                Scalar::I64(v)
            } else if let Ok(v) = u64::from_str_radix(digits, radix) {
                Scalar::U64(v)
            } else {
                // toml goes on to 128-bit integers; no field in a rule file takes one.
                return Err(<Error as de::Error>::custom("integer number overflowed").at(&v.span()));
            }
        }
        // As toml: an infinity is an overflow unless the file wrote `inf`.
        DeValue::Float(x) => match x.as_str().parse::<f64>() {
            Ok(f) if !f.is_infinite() || x.as_str().contains("inf") => Scalar::F64(f),
            _ => return Err(<Error as de::Error>::custom("floating-point number overflowed").at(&v.span())),
        },
        DeValue::Boolean(b) => Scalar::Bool(*b),
        DeValue::Datetime(d) => {
            let mut marker = DeTable::new();
            marker.insert(
                Spanned::new(v.span(), Cow::Borrowed(DATETIME_KEY)),
                Spanned::new(v.span(), DeValue::String(Cow::Owned(d.to_string()))),
            );
            Scalar::Table(Cow::Owned(marker))
        }
        DeValue::Array(items) => Scalar::Array(items),
        DeValue::Table(table) => Scalar::Table(Cow::Borrowed(table)),
    })
}

/// Any value, with its span.
struct Value<'a>(&'a Spanned<DeValue<'a>>);

impl<'de> de::Deserializer<'de> for Value<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let span = self.0.span();
        match scalar(self.0)? {
            Scalar::Str(s) => visitor.visit_str(s),
            Scalar::I64(n) => visitor.visit_i64(n),
            Scalar::U64(n) => visitor.visit_u64(n),
            Scalar::F64(x) => visitor.visit_f64(x),
            Scalar::Bool(b) => visitor.visit_bool(b),
            Scalar::Array(items) => visitor.visit_seq(Items { iter: items.iter() }),
            Scalar::Table(table) => visitor.visit_map(Entries {
                iter: table.iter(),
                value: None,
            }),
        }
        .map_err(|e| e.at(&span))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let span = self.0.span();
        visitor.visit_some(self).map_err(|e| e.at(&span))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        let span = self.0.span();
        visitor.visit_newtype_struct(self).map_err(|e| e.at(&span))
    }

    // Enums in rule files are unit variants written as strings (`type = "integer"`): toml's
    // message for anything else.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let span = self.0.span();
        match self.0.get_ref() {
            DeValue::String(s) => {
                let s: &str = s;
                visitor.visit_enum(s.into_deserializer())
            }
            // toml also takes a one-entry table naming the variant; rule files never need it.
            DeValue::Table(_) => Err(de::Error::custom("wanted a string")),
            _ => Err(de::Error::custom("wanted string or table")),
        }
        .map_err(|e: Error| e.at(&span))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: String,
        #[serde(default)]
        count: Option<u32>,
        kind: Kind,
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        extra: BTreeMap<String, serde_json::Value>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Small,
        Large,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: i64,
        #[serde(default)]
        when: Option<serde_json::Value>,
    }

    const DOC: &str = "name = \"a\"\ncount = 3\nkind = \"large\"\n\n[extra]\nx = 1.5\ny = [true, \"s\"]\nz = 2020-01-02\n\n[[items]]\nid = 0x10\n\n[[items]]\nid = -2\nwhen = 1999-12-31\n";

    /// The same document read by toml itself and by this module gives the same values.
    #[test]
    fn reads_what_toml_reads() {
        let ours: Doc = from_str(DOC).unwrap();
        let theirs: Doc = toml::from_str(DOC).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.items[0].id, 16);
        assert_eq!(ours.kind, Kind::Large);
        let any: serde_json::Value = from_str(DOC).unwrap();
        assert_eq!(any, toml::from_str::<serde_json::Value>(DOC).unwrap());
    }

    fn both(text: &str) -> (toml::de::Error, toml::de::Error) {
        (
            from_str::<Doc>(text).unwrap_err(),
            toml::from_str::<Doc>(text).unwrap_err(),
        )
    }

    /// Errors carry toml's messages at toml's places.
    #[test]
    fn errors_match_toml() {
        for text in [
            "name = \"a\"\nkind = \"medium\"\n",
            "name = \"a\"\nkind = \"small\"\nnumber = 3\n",
            "name = \"a\"\n",
            "name = \"a\"\nkind = \"small\"\ncount = -1\n",
            "name = \"a\"\nkind = \"small\"\n[[items]]\nid = \"x\"\n",
            "name = \"a\"\nkind = \"small\"\n[[items]]\nid = 1\n[[items]]\nwhat = 2\n",
            "name = 5\nkind = \"small\"\n",
            "name = \"a\"\nkind = 3\n",
            "name = \"a\"\nkind = \"small\"\ncount = 99999999999999999999999999999999999999999\n",
            "name = = 1\n",
            "name = 2020-01-01\nkind = \"small\"\n",
            "name = \"a\"\nkind = \"small\"\ncount = 1e999\n",
            "name = \"a\"\nkind = \"small\"\nitems = [{ id = 1, size = 2 }]\n",
            "name = \"a\"\nkind = \"small\"\nitems = [{ when = 2 }]\n",
            "name = \"a\"\nname = \"b\"\n",
        ] {
            let (ours, theirs) = both(text);
            assert_eq!(ours.message(), theirs.message(), "{text:?}");
            assert_eq!(ours.span(), theirs.span(), "{text:?}: {}", ours.message());
        }
    }
}
