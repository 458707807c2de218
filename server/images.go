package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/pgedge/pgedge"
)

// decodeBase64Image decodes an image given as base64 (standard or URL alphabet, padded
// or not, whitespace ignored) or as a data: URL.
func decodeBase64Image(param, s string) (*pgedge.Image, error) {
	if rest, ok := strings.CutPrefix(s, "data:"); ok {
		meta, data, ok := strings.Cut(rest, ",")
		if !ok || !strings.HasSuffix(meta, ";base64") {
			return nil, badParam(param, "%s: a data URL must be data:image/...;base64,<data>", param)
		}
		s = data
	}
	b, err := decodeBase64(s)
	if err != nil {
		return nil, badParam(param, "%s is not valid base64: %v", param, err)
	}
	if len(b) == 0 {
		return nil, badParam(param, "%s is empty", param)
	}
	img, err := pgedge.DecodeImageBytes(b)
	if err != nil {
		return nil, badParam(param, "%s: %v", param, err)
	}
	return img, nil
}

func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, s)
	enc := base64.StdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.URLEncoding
	}
	if !strings.HasSuffix(s, "=") && len(s)%4 != 0 {
		enc = enc.WithPadding(base64.NoPadding)
	}
	return enc.DecodeString(s)
}

// imageURL loads the image an OpenAI image_url names: a data URL, or with
// AllowRemoteImages an http(s) URL.
func (s *Server) imageURL(ctx context.Context, param, u string) (*pgedge.Image, error) {
	switch {
	case strings.HasPrefix(u, "data:"):
		return decodeBase64Image(param, u)
	case strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://"):
		if !s.cfg.AllowRemoteImages {
			return nil, badParam(param, "%s: remote image URLs are not fetched by this server (start it with --allow-remote-images); send the image as a data:image/...;base64 URL", param)
		}
		b, err := s.fetchImage(ctx, u)
		if err != nil {
			return nil, badParam(param, "%s: %v", param, err)
		}
		img, err := pgedge.DecodeImageBytes(b)
		if err != nil {
			return nil, badParam(param, "%s: %v", param, err)
		}
		return img, nil
	}
	return nil, badParam(param, "%s must be a data:image/...;base64 URL (or http(s) with --allow-remote-images)", param)
}

const maxRedirects = 3

type hopKey struct{}

// fetchImage GETs a remote image: at most BodyLimit bytes within RemoteImageTimeout,
// following at most 3 redirects, connecting only to public addresses (checked on the
// address actually dialled, so DNS tricks do not help).
func (s *Server) fetchImage(ctx context.Context, raw string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.RemoteImageTimeout)
	defer cancel()
	dialer := &net.Dialer{Timeout: s.cfg.RemoteImageTimeout}
	client := &http.Client{
		Transport: &http.Transport{
			Proxy:             nil,
			DisableKeepAlives: true,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				host, port, err := net.SplitHostPort(addr)
				if err != nil {
					return nil, err
				}
				ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
				if err != nil {
					return nil, err
				}
				first := ctx.Value(hopKey{}) == 0 && s.cfg.allowLoopbackFirstHop
				for _, ip := range ips {
					if !publicAddr(ip) && !(first && ip.Unmap().IsLoopback()) {
						return nil, fmt.Errorf("%s resolves to %s, a loopback, private or link-local address, which this server does not fetch from", host, ip)
					}
				}
				if len(ips) == 0 {
					return nil, fmt.Errorf("%s has no address", host)
				}
				return dialer.DialContext(ctx, network, net.JoinHostPort(ips[0].String(), port))
			},
			TLSHandshakeTimeout:   s.cfg.RemoteImageTimeout,
			ResponseHeaderTimeout: s.cfg.RemoteImageTimeout,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	u := raw
	for hop := 0; ; hop++ {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			return nil, fmt.Errorf("%q is not an http(s) URL", u)
		}
		req, err := http.NewRequestWithContext(context.WithValue(ctx, hopKey{}, hop), http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return nil, fmt.Errorf("fetching %s: %v", pu.Redacted(), err)
		}
		if resp.StatusCode >= 300 && resp.StatusCode < 400 && resp.Header.Get("Location") != "" {
			resp.Body.Close()
			if hop >= maxRedirects {
				return nil, fmt.Errorf("more than %d redirects", maxRedirects)
			}
			next, err := pu.Parse(resp.Header.Get("Location"))
			if err != nil {
				return nil, fmt.Errorf("bad redirect: %v", err)
			}
			u = next.String()
			continue
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("fetching %s: %s", pu.Redacted(), resp.Status)
		}
		var buf bytes.Buffer
		n, err := io.Copy(&buf, io.LimitReader(resp.Body, s.cfg.BodyLimit+1))
		if err != nil {
			return nil, fmt.Errorf("fetching %s: %v", pu.Redacted(), err)
		}
		if n > s.cfg.BodyLimit {
			return nil, fmt.Errorf("the image at %s is larger than %d bytes", pu.Redacted(), s.cfg.BodyLimit)
		}
		return buf.Bytes(), nil
	}
}

// publicAddr tells whether ip is a global unicast address outside the private,
// loopback, link-local, CGNAT and unique-local ranges.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsGlobalUnicast() || ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"), // CGNAT
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64 can reach IPv4 private space
}
