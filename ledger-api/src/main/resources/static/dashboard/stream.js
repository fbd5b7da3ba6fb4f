/**
 * The live alert stream (server-sent events). The browser reconnects by itself after a dropped
 * connection and sends Last-Event-ID; when it gives up (an error answer), the stream is opened again
 * with the last id as ?lastEventId=, so nothing is missed either way. States: connecting, live, lost,
 * resumed (with the id resumed after).
 */
export function openAlertStream({ onAlert, onState }) {
    let source = null;
    let lastEventId = null;
    let lost = false;
    let closed = false;
    let retryTimer = null;

    const open = () => {
        const suffix = lastEventId ? `?lastEventId=${encodeURIComponent(lastEventId)}` : '';
        source = new EventSource(`/api/v1/alerts/stream${suffix}`);
        source.addEventListener('alert', event => {
            lastEventId = event.lastEventId || lastEventId;
            onAlert(JSON.parse(event.data));
        });
        source.addEventListener('open', () => {
            onState(lost ? 'resumed' : 'live', lastEventId);
            lost = false;
        });
        source.addEventListener('error', () => {
            lost = true;
            onState('lost', lastEventId);
            if (source.readyState === EventSource.CLOSED && !closed) {
                retryTimer = setTimeout(open, 3000);
            }
        });
    };
    onState('connecting', null);
    open();
    return () => {
        closed = true;
        clearTimeout(retryTimer);
        source?.close();
    };
}
