import Foundation

/// Debian's pebble, the ACME test server, run inside a test host: the proxy there gets its
/// certificate from it over the host's own ports 80/443, as it would from Let's Encrypt.
extension TestHost {
    static let pebbleDirectory = "/etc/pebble"
    /// The CA of pebble's own HTTPS listener: the proxy trusts it for the ACME connection only.
    static let pebbleListenerCA = "/etc/pebble/ca.pem"
    /// pebble's issuing root, new at every start: the test client trusts it.
    static let pebbleRoot = "/etc/pebble/root.pem"

    /// Installs pebble from Debian (the host reaches the mirror through the testbed's NAT),
    /// gives it a listener certificate made with openssl, resolves `site` to the host itself
    /// (pebble validates challenges on 80/443 there), starts it as a unit and saves its root.
    func startPebble(resolving site: String) throws {
        try mustExec("apt-get", "update", "-qq", timeout: 300)
        try mustExec(
            [
                "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "--no-install-recommends",
                "pebble",
            ],
            timeout: 600)
        try mustExec("sh", "-c", "echo '127.0.0.1 \(site)' >> /etc/hosts")
        let directory = Self.pebbleDirectory
        try mustExec(
            "sh", "-c",
            """
            set -e
            mkdir -p \(directory) && cd \(directory)
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
              -subj "/CN=testbed pebble TLS CA" -keyout ca.key -out ca.pem 2>/dev/null
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=pebble" \
              -keyout pebble.key -out pebble.csr 2>/dev/null
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > san.ext
            openssl x509 -req -in pebble.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
              -extfile san.ext -out pebble.pem 2>/dev/null
            chmod 0644 ca.pem
            """)
        try writeFile(
            "\(directory)/config.json",
            """
            {"pebble": {"listenAddress": "0.0.0.0:14000", "managementListenAddress": "0.0.0.0:15000",
              "certificate": "\(directory)/pebble.pem", "privateKey": "\(directory)/pebble.key",
              "httpPort": 80, "tlsPort": 443, "ocspResponderURL": "", "externalAccountBindingRequired": false}}

            """)
        // No random sleeps before validations and no rejected nonces: fast and deterministic.
        try mustExec(
            "systemd-run", "--unit=pebble", "-E", "PEBBLE_VA_NOSLEEP=1", "-E", "PEBBLE_WFE_NONCEREJECT=0",
            "pebble", "-config", "\(directory)/config.json")
        try mustExec(
            "curl", "-fsS", "--retry", "30", "--retry-connrefused", "--retry-delay", "1", "--cacert",
            Self.pebbleListenerCA, "-o", Self.pebbleRoot, "https://localhost:15000/roots/0")
    }
}
