# The secure twin of ../insecure: private invokers, HTTPS only, a dedicated
# service account per function, secrets from Secret Manager, internal ingress
# for event-driven functions and current runtimes.

variable "project" {
  type    = string
  default = "acme-orders-prod"
}

resource "google_storage_bucket" "uploads" {
  name     = "acme-orders-uploads-prod"
  location = "EU"
}

resource "google_service_account" "api" {
  account_id = "orders-api"
}

resource "google_service_account" "receipt" {
  account_id = "orders-receipt"
}

resource "google_service_account" "thumbnail" {
  account_id = "orders-thumbnail"
}

resource "google_service_account" "worker" {
  account_id = "orders-worker"
}

resource "google_cloudfunctions_function" "api" {
  name                         = "acme-orders-api"
  runtime                      = "nodejs22"
  entry_point                  = "handler"
  source_archive_bucket        = google_storage_bucket.uploads.name
  source_archive_object        = "api.zip"
  trigger_http                 = true
  https_trigger_security_level = "SECURE_ALWAYS"
  timeout                      = 25
  service_account_email        = google_service_account.api.email
  environment_variables = {
    ORDERS_TABLE = "acme-orders"
  }
  secret_environment_variables {
    key     = "STRIPE_SECRET_KEY"
    secret  = "stripe-secret-key"
    version = "latest"
  }
}

# Only the storefront's service account may call the API.
resource "google_cloudfunctions_function_iam_member" "api_invoker" {
  project        = var.project
  region         = "europe-west1"
  cloud_function = google_cloudfunctions_function.api.name
  role           = "roles/cloudfunctions.invoker"
  member         = "serviceAccount:storefront@acme-orders-prod.iam.gserviceaccount.com"
}

resource "google_cloudfunctions2_function" "receipt" {
  name     = "acme-orders-receipt"
  location = "europe-west1"
  build_config {
    runtime     = "nodejs22"
    entry_point = "receipt"
  }
  service_config {
    service_account_email = google_service_account.receipt.email
    ingress_settings      = "ALLOW_INTERNAL_AND_GCLB"
  }
}

resource "google_cloudfunctions_function" "thumbnail" {
  name                  = "acme-orders-thumbnail"
  runtime               = "python312"
  entry_point           = "handler"
  source_archive_bucket = google_storage_bucket.uploads.name
  source_archive_object = "thumbnail.zip"
  ingress_settings      = "ALLOW_INTERNAL_ONLY"
  service_account_email = google_service_account.thumbnail.email
  event_trigger {
    event_type = "google.storage.object.finalize"
    resource   = google_storage_bucket.uploads.name
  }
}

resource "google_cloud_run_v2_service" "worker" {
  name     = "acme-orders-worker"
  location = "europe-west1"
  ingress  = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  template {
    service_account = google_service_account.worker.email
    containers {
      image = "europe-docker.pkg.dev/acme/orders/worker:1.4.2"
      env {
        name = "DB_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = "db-password"
            version = "latest"
          }
        }
      }
    }
  }
}
