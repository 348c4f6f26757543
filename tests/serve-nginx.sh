#!/usr/bin/env bash
# Serves a built site with nginx the way a host would, under a sub-path:
#   http://127.0.0.1:$PORT/explainers/  ->  $SITE
#   http://127.0.0.1:$PORT/paged/       ->  $PAGED (when set: the sample with lists cut short)
#   http://127.0.0.1:$PORT/broken/      ->  tests/fixtures/bad/ (negative controls)
# Usage: source it after setting SITE and PORT; it sets NGINX_PID. Stop with stop_nginx.
NGINX_DIR="$PWD/target/nginx"
mkdir -p "$NGINX_DIR/tmp"
cat > "$NGINX_DIR/nginx.conf" <<CONF
$( [ "$(id -u)" = 0 ] && echo 'user root;' )
worker_processes 1;
pid nginx.pid;
error_log stderr warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path tmp/body; proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi; uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
    server {
        listen 127.0.0.1:$PORT;
        location = /explainers { return 301 /explainers/; }
        location /explainers/ {
            alias $SITE/;
            index index.html;
            error_page 404 /explainers/404.html;
        }
        location /paged/ {
            alias ${PAGED:-$PWD/target/no-paged-site}/;
            index index.html;
            error_page 404 /paged/404.html;
        }
        location /broken/ { alias $PWD/tests/fixtures/bad/; }
    }
}
CONF
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
"$NGINX_BIN" -p "$NGINX_DIR/" -c nginx.conf -e stderr -g 'daemon off;' 2> "$NGINX_DIR/error.log" &
NGINX_PID=$!
stop_nginx() { kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null; }
for _ in $(seq 50); do
  curl -fso /dev/null "http://127.0.0.1:$PORT/explainers/" && break
  sleep 0.1
done
