//! Transactions: the builders every write uses, and sending with a bounded, jittered retry
//! while a transaction only collided with a concurrent one. A failed condition is not retried
//! here: it means the state changed, and the caller decides again ([`decide_again`]).

use super::DynamoRoomStore;
use super::items::Item;
use crate::store::{Contention, Refused};
use anyhow::anyhow;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use std::time::Duration;

/// A decision taken on state that changed before its write is taken again this many times.
const ATTEMPTS: usize = 5;

/// Runs `attempt` (read, decide, write conditioned on what was read) until it gives an
/// answer; `None` means the write found the state changed and the decision must be taken
/// again on fresh state.
pub(super) async fn decide_again<T, F, Fut>(what: &str, mut attempt: F) -> Result<T, Refused>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, Refused>>,
{
    for _ in 0..ATTEMPTS {
        if let Some(answer) = attempt().await? {
            return Ok(answer);
        }
    }
    // Others kept winning the race for the same items: busy (503), worth a retry, not a 500.
    Err(anyhow::Error::new(Contention).context(format!("{what} kept changing under the write")).into())
}

/// Which items of a cancelled transaction failed their condition.
pub(super) fn cancelled_items(error: &SdkError<TransactWriteItemsError>) -> Option<Vec<bool>> {
    match error.as_service_error() {
        Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) => {
            Some(cancelled.cancellation_reasons().iter().map(|r| r.code() == Some("ConditionalCheckFailed")).collect())
        }
        _ => None,
    }
}

pub(super) fn update(table: &str, key: Item, expression: &str) -> aws_sdk_dynamodb::types::builders::UpdateBuilder {
    Update::builder().table_name(table).set_key(Some(key)).update_expression(expression)
}

pub(super) fn item_put(table: &str, item: Item) -> aws_sdk_dynamodb::types::builders::PutBuilder {
    Put::builder().table_name(table).set_item(Some(item))
}

pub(super) fn write_update(update: Update) -> TransactWriteItem {
    TransactWriteItem::builder().update(update).build()
}

pub(super) fn write_put(put: Put) -> TransactWriteItem {
    TransactWriteItem::builder().put(put).build()
}

/// Why a transaction did not go through: which items' conditions failed, or another error.
pub(super) enum Failed {
    Condition(Vec<bool>),
    Store(anyhow::Error),
}

/// Sends a transaction, trying again after a short random pause while it was only
/// cancelled by a concurrent transaction on the same items.
pub(super) async fn send_retrying<F, Fut, T>(write: F) -> Result<(), Failed>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, SdkError<TransactWriteItemsError>>>,
{
    for attempt in 0..CONTENTION_ATTEMPTS {
        match write().await {
            Ok(_) => return Ok(()),
            Err(error) => match cancelled_items(&error) {
                Some(failed) if failed.iter().any(|f| *f) => return Err(Failed::Condition(failed)),
                Some(_) => tokio::time::sleep(contention_backoff(attempt)).await,
                None => return Err(Failed::Store(anyhow!(error))),
            },
        }
    }
    Err(Failed::Store(anyhow::Error::new(Contention)))
}

/// Tries of a transaction that only collided with others before giving up (`503 busy`).
const CONTENTION_ATTEMPTS: u32 = 8;

/// Exponential backoff with full jitter, capped: 5 ms the first time, at most 200 ms, about
/// 0.7 s over all attempts, so a crowd spreads out instead of colliding in step.
fn contention_backoff(attempt: u32) -> Duration {
    let ceiling = (5u64 << attempt.min(6)).min(200);
    Duration::from_millis(ceiling / 2 + rand::random::<u64>() % (ceiling / 2 + 1))
}

/// Outcome of a conditional transaction: done, or some item's condition failed.
pub(super) enum Written {
    Done,
    ConditionFailed,
}

impl DynamoRoomStore {
    /// Runs the transaction `items`, retrying when it only collided with a concurrent one.
    pub(super) async fn transact(&self, items: Vec<TransactWriteItem>, what: &'static str) -> anyhow::Result<Written> {
        let write = || self.client.transact_write_items().set_transact_items(Some(items.clone())).send();
        match send_retrying(write).await {
            Ok(()) => Ok(Written::Done),
            Err(Failed::Condition(_)) => Ok(Written::ConditionFailed),
            Err(Failed::Store(e)) => Err(e.context(what)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contention_backoff_grows_then_stays_under_its_cap() {
        for attempt in 0..CONTENTION_ATTEMPTS {
            let ceiling = (5u64 << attempt.min(6)).min(200);
            for _ in 0..50 {
                let pause = contention_backoff(attempt).as_millis() as u64;
                assert!((ceiling / 2..=ceiling).contains(&pause), "attempt {attempt}: {pause} ms");
            }
        }
        let total: u64 = (0..CONTENTION_ATTEMPTS).map(|a| (5u64 << a.min(6)).min(200)).sum();
        assert!(total <= 800, "a request gives up within a second: {total} ms at most");
    }

    #[test]
    fn a_decision_that_keeps_losing_the_race_is_busy_not_an_internal_error() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let mut tries = 0;
        let refused = runtime
            .block_on(decide_again("the participant", || {
                tries += 1;
                async { Ok::<Option<()>, Refused>(None) }
            }))
            .unwrap_err();
        assert_eq!(tries, ATTEMPTS);
        let answer = crate::error::ApiError::from(refused);
        assert_eq!(answer.code(), crate::error::ErrorCode::Busy, "503 busy: the client may try again");
    }
}
