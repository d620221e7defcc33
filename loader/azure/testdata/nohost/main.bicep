resource x 'Microsoft.Web/sites@2020-01-01' = {
  name: 'x'
  properties: {
    httpsOnly: ?? ]
