//! What the national public-service portal (or whatever answers at the
//! configured sync address) sends back for each record egov delivers:
//! an HTTP status and a body, judged by `portal_sync::judge_answer`.
//!
//! Properties:
//! - nothing panics;
//! - a status outside 2xx is never taken as delivered;
//! - a 2xx answer whose body is not a JSON object is taken (portals
//!   answer `{}`, `true` or nothing), one whose `error_code` is absent,
//!   null or all zeros is taken, any other code is refused;
//! - a refusal's message quotes at most 300 characters of the body, so a
//!   huge answer cannot fill the outbox's error column.
#![no_main]

use domain::portal_sync::judge_answer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    // The first byte picks the status: mostly 200, sometimes another.
    let status = match first % 8 {
        0 => 500,
        1 => 404,
        2 => 204,
        3 => u16::from(first),
        _ => 200,
    };
    let verdict = judge_answer(status, body);
    if !(200..300).contains(&status) {
        assert!(verdict.is_err());
    }
    if let Err(message) = &verdict {
        let quoted = String::from_utf8_lossy(body).chars().count().min(300);
        assert!(message.chars().count() <= quoted + 80, "{message}");
    }
    if (200..300).contains(&status) {
        let object = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v.as_object().cloned());
        match object.as_ref().and_then(|o| o.get("error_code")) {
            None | Some(serde_json::Value::Null) => assert!(verdict.is_ok()),
            Some(_) => {}
        }
    }
});
