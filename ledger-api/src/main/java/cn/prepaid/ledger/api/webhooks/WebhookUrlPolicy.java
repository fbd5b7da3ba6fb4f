package cn.prepaid.ledger.api.webhooks;

import org.springframework.stereotype.Component;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the ledger may send: {@code https} to a public address. The ledger runs inside a bank
 * regulator's network, so a URL that reaches a private, link-local (cloud metadata at 169.254.169.254)
 * or loopback address would let a bank make it call internal services. Loopback (and plain http to it)
 * is allowed only with {@code ledger.webhooks.allow-http-localhost}, for tests. Addresses are checked
 * when an endpoint is registered and again before each delivery, since a name can be re-pointed.
 */
@Component
public class WebhookUrlPolicy {

    static final int MAX_URL_LENGTH = 2000;

    private final boolean allowLocalhost;

    public WebhookUrlPolicy(WebhookSettings settings) {
        this.allowLocalhost = settings.allowHttpLocalhost();
    }

    /** Why the URL may not be registered, or empty when it may. */
    public Optional<String> problemWith(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            return Optional.of("must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException malformed) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || !uri.isAbsolute()) {
            return Optional.of("must be an absolute URL with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return Optional.of("must not carry credentials or a fragment");
        }
        boolean localName = isLocalName(host);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowLocalhost && localName)) {
            return Optional.of("must use https");
        }
        return addressProblem(host);
    }

    /** Checked again just before a delivery: why the host may not be called now, or empty. */
    public Optional<String> addressProblem(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException unknown) {
            return Optional.of("host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (address.isLoopbackAddress() ? !allowLocalhost : isInternal(address)) {
                return Optional.of("host " + host + " resolves to a private, link-local or loopback address");
            }
        }
        return Optional.empty();
    }

    private static boolean isLocalName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
    }

    private static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // fc00::/7 unique local, where cloud metadata also lives
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second < 128); // "this network", carrier-grade NAT
    }
}
