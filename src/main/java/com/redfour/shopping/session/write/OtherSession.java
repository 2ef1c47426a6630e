package com.redfour.shopping.session.write;

import com.redfour.shopping.session.store.RecoveryLink;
import com.redfour.shopping.session.store.Row;

import java.util.Optional;

/**
 * The second session a write reads, loaded before it is decided (and again on each retry): the
 * member's other open session for a sign-in with merge, the link and its session for a restore.
 */
sealed interface OtherSession {

    /** A write that reads no other session. */
    OtherSession NONE = new None();

    record None() implements OtherSession {
    }

    /** The member's most recently updated other open session, if any. */
    record MembersCart(Optional<Row.Live> session) implements OtherSession {
    }

    /** The recovery link the token names ({@code link} empty when none), and the row of its session. */
    record RecoveredCart(Optional<RecoveryLink> link, Row session) implements OtherSession {
    }
}
