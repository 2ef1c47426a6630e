package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Attribution;
import com.redfour.shopping.session.LineItem;
import com.redfour.shopping.session.LogEntry;
import com.redfour.shopping.session.RecoveredFrom;
import com.redfour.shopping.session.Touch;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The types Jackson reads and writes reflectively in a session row, kept for a native image. */
@RegisterForReflection(targets = {DocumentCodec.Document.class, DocumentCodec.StoredDiscount.class, DocumentCodec.StoredKey.class,
        LineItem.class, LogEntry.class, Attribution.class, Touch.class, Touch.Utm.class,
        RecoveredFrom.class})
final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
