import Foundation

extension TestHost {
    /// What an operator with an internal CA does: an openssl CA in /root/ca, and the site's
    /// certificate and key in /etc/reconciler/certs, the key owned by the proxy's uid 990, 0400.
    func placeInternalCACertificate(for site: String) throws {
        try mustExec(
            "sh", "-c",
            """
            set -e
            mkdir -p /root/ca /etc/reconciler/certs && cd /root/ca
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
              -subj "/CN=testbed internal CA" -keyout ca.key -out ca.pem 2>/dev/null
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=\(site)" \
              -keyout /etc/reconciler/certs/site.key -out site.csr 2>/dev/null
            printf 'subjectAltName=DNS:\(site)\\nextendedKeyUsage=serverAuth\\n' > san.ext
            openssl x509 -req -in site.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
              -extfile san.ext -out /etc/reconciler/certs/site.crt 2>/dev/null
            chown 990:990 /etc/reconciler/certs/site.key && chmod 0400 /etc/reconciler/certs/site.key
            """)
    }
}
