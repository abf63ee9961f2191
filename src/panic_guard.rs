//! Turns a panic inside one file's processing into a message, so the run goes on.
//!
//! `catch` runs a closure under `catch_unwind`. A process-wide panic hook (installed once,
//! lazily) records the panic's message and location in a thread-local instead of printing
//! it while a guarded closure runs; panics elsewhere still print as usual.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(|g| g.get()) {
                let payload = info.payload();
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_string());
                let loc = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                LAST.with(|l| *l.borrow_mut() = Some(format!("{msg}{loc}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic becomes `Err(message with location)`.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let was = GUARDED.with(|g| g.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    result.map_err(|_| {
        LAST.with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

/// Runs one stage of the scan after reading (sessions, rules, grid, report rendering): a panic
/// becomes `None` and an `internal` error naming the stage, pushed on `errors`, so the caller
/// can put a degraded result in its place and the scan goes on.
pub fn stage<T>(
    name: &str,
    errors: &mut Vec<crate::error::Error>,
    f: impl FnOnce() -> T,
) -> Option<T> {
    match catch(|| {
        #[cfg(test)]
        inject::maybe_panic(name);
        f()
    }) {
        Ok(v) => Some(v),
        Err(message) => {
            errors.push(crate::error::Error::internal(format!(
                "{name} crashed: {message} (a bug in preuves; the scan went on)"
            )));
            None
        }
    }
}

/// Test-only fault injection: makes the named [`stage`] panic on this thread.
#[cfg(test)]
pub(crate) mod inject {
    use std::cell::RefCell;

    thread_local! {
        static STAGE: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    pub fn set(stage: Option<&str>) {
        STAGE.with(|s| *s.borrow_mut() = stage.map(str::to_string));
    }

    pub fn maybe_panic(name: &str) {
        if STAGE.with(|s| s.borrow().as_deref() == Some(name)) {
            panic!("injected panic in {name}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_message_with_its_location() {
        let r: Result<(), String> = catch(|| panic!("boom {}", 42));
        let msg = r.unwrap_err();
        assert!(msg.starts_with("boom 42 at "), "{msg}");
        assert!(msg.contains("panic_guard.rs"), "{msg}");
    }

    #[test]
    fn no_panic_passes_the_value_through() {
        assert_eq!(catch(|| 7), Ok(7));
    }

    #[test]
    fn nested_guards_restore_state() {
        let outer = catch(|| {
            let inner: Result<(), String> = catch(|| panic!("inner"));
            assert!(inner.is_err());
            5
        });
        assert_eq!(outer, Ok(5));
    }
}
